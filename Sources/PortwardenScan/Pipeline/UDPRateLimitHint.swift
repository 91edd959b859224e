import PortwardenCore

/// Linux answers about one ICMP port-unreachable per second per destination after a short burst,
/// so an unpaced UDP scan reports most closed ports of such a host as open|filtered (measured in
/// bench/scan scenario D3). When a host both answered with unreachables and left many ports
/// silent, say so and name the flag that trades time for exact states. Open ports are unaffected.
enum UDPRateLimitHint {
    /// The warning for these UDP observations, or `nil` when no host looks rate limited.
    static func warning(_ observations: [Observation]) -> String? {
        let byHost = Dictionary(grouping: observations, by: \.host)
        let suspicious = byHost.filter { _, rows in
            rows.contains { $0.state == .closed || $0.state == .filtered }
                && rows.filter { $0.state == .openFiltered }.count >= 10
        }
        guard !suspicious.isEmpty else { return nil }
        return "UDP: \(suspicious.count) host\(suspicious.count == 1 ? "" : "s") answered some probes with ICMP "
            + "errors but left many silent; closed ports may show as open|filtered because of ICMP rate "
            + "limits. For exact states re-run with --udp-per-host-rate 1 (about one second per port)."
    }
}
