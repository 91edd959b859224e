import PortwardenCore
import PortwardenScan

/// What the CLI says about the targets after a scan: which were up and how that was shown, which
/// were down and why, which this machine could not reach at all.
enum HostStatusText {
    /// At most this many hosts are listed per status; the scan record holds them all.
    static let listLimit = 20

    /// `hosts: 3 up (2 icmp-echo, 1 arp), 1 down` and one line per host (up to ``listLimit`` per status).
    static func render(_ record: ScanRecord) -> String {
        var out = "portwarden: hosts: " + DiscoverySummary.line(record.hosts)
        if record.count(.unfinished) > 0 { out += ", \(record.count(.unfinished)) unfinished" }
        for status in [HostStatus.up, .scanned, .down, .unreachable, .unfinished] {
            let hosts = record.hosts.filter { $0.status == status }
            for host in hosts.prefix(listLimit) { out += "\n  \(host.host) \(label(host)): \(host.reason)" }
            if hosts.count > listLimit {
                out += "\n  … and \(hosts.count - listLimit) more \(status.rawValue) (see the scan record)"
            }
        }
        return out
    }

    /// The failure message when the scan proved nothing: what happened and what to check.
    static func reachedNothing(_ record: ScanRecord, recordPath: String?) -> String {
        let unreachable = record.count(.unreachable)
        let silent = record.hosts.count - unreachable
        let sources = record.sourceAddresses.map(\.description).joined(separator: ", ")
        var message = "the scan reached none of its \(record.hosts.count) target\(record.hosts.count == 1 ? "" : "s")"
        var parts: [String] = []
        if unreachable > 0 { parts.append("\(unreachable) unreachable from this machine (no route)") }
        if silent > 0 { parts.append("\(silent) silent (nothing answered any probe)") }
        message += ": " + parts.joined(separator: ", ") + ". Nothing about the network was proven. Check the route "
        message += "to the targets (ip route get \(record.hosts.first.map(\.host.description) ?? "ADDRESS")), "
        message += "that this machine is in the intended vantage zone"
        message += record.vantage.map { " (this scan ran as vantage \($0))" } ?? ""
        message += ", and the source address" + (sources.isEmpty ? "" : " (probes left from \(sources))") + "."
        if let recordPath { message += " Per-host reasons: \(recordPath)" }
        return message
    }

    private static func label(_ host: HostCoverage) -> String {
        switch host.status {
        case .up: return "up" + (host.method.map { " (\($0.rawValue))" } ?? "")
        case .scanned: return "scanned"
        case .down: return "down"
        case .unreachable: return "unreachable"
        case .unfinished: return "unfinished"
        }
    }
}
