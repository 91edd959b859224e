import PortwardenCore

/// The one-line summary of discovery the CLI prints: `3 up (2 icmp-echo, 1 arp), 253 down, 0 unreachable`.
public enum DiscoverySummary {
    /// The summary of the given per-host results.
    public static func line(_ hosts: [HostCoverage]) -> String {
        let up = hosts.filter { $0.status == .up || $0.status == .scanned }
        var methods: [String: Int] = [:]
        for host in up { methods[host.method?.rawValue ?? "scanned", default: 0] += 1 }
        let detail = methods.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let down = hosts.count { $0.status == .down }
        let unreachable = hosts.count { $0.status == .unreachable }
        var line = "\(up.count) up" + (detail.isEmpty ? "" : " (\(detail))") + ", \(down) down"
        if unreachable > 0 { line += ", \(unreachable) unreachable from this machine" }
        return line
    }
}
