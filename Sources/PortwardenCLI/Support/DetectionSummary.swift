import PortwardenCore

/// What service detection proved about one open port, for `scan --detect` text output: the
/// service with the product and version a handshake named, then one indented line per
/// handshake verdict (`INS-TELNET: confirmed`), the TLS versions the port accepted, and each
/// detail a finding can cite (`vnc.security-types: 1 None`). A port detection did not reach
/// shows only its service name, which then comes from the port number alone.
enum DetectionSummary {
    /// The service column: `ssh OpenSSH 9.2p1`, or the bare service name.
    static func service(_ observation: Observation) -> String {
        [observation.service, observation.product, observation.version].compactMap { $0 }.joined(separator: " ")
    }

    /// The lines under the port, without indentation, sorted so that output is stable.
    static func lines(_ observation: Observation) -> [String] {
        var lines: [String] = []
        for (rule, verdict) in (observation.handshakes ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append("\(rule): \(verdict)")
        }
        if let tls = observation.tls, !tls.isEmpty { lines.append("tls: " + tls.joined(separator: ", ")) }
        for (topic, value) in (observation.details ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append("\(topic): \(value)")
        }
        return lines
    }
}
