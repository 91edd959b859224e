import PortwardenCore
import PortwardenScan

/// Renders scan results for `scan` and `import`.
enum ScanOutput {
    static func render(
        _ observations: [Observation], format: ScanFormat, result: ScanResult?, hosts: [IPAddress], ports: [UInt16],
        arguments: [String], detection: Bool = false
    ) -> String {
        switch format {
        case .json:
            return ObservationLines.write(observations)
        case .xml:
            return NmapXMLOutput.render(
                observations, result: result, ports: ports, arguments: arguments, detection: detection)
        case .text:
            return table(observations, result: result, hosts: hosts.count, ports: ports.count)
        }
    }

    /// An aligned table of the interesting ports, one block per host, then a summary.
    static func table(_ observations: [Observation], result: ScanResult?, hosts: Int, ports: Int) -> String {
        var out = ""
        let byHost = Dictionary(grouping: observations, by: \.host)
        for host in byHost.keys.sorted() {
            let rows = (byHost[host] ?? []).sorted { ($0.transport, $0.port) < ($1.transport, $1.port) }
            // Open ports always; closed/filtered only when few (the rest is summarised).
            let open = rows.filter { $0.state == .open || $0.state == .openFiltered }
            let other = rows.filter { !($0.state == .open || $0.state == .openFiltered) }
            var shown = open
            if other.count <= 20 { shown = rows }
            out += "\(host)\n"
            if shown.isEmpty { out += "  no open ports\n" }
            let portWidth = max(9, shown.map { "\($0.port)/\($0.transport.rawValue)".count }.max() ?? 0)
            let stateWidth = max(8, shown.map { $0.state.rawValue.count }.max() ?? 0)
            for row in shown {
                let port = "\(row.port)/\(row.transport.rawValue)"
                out +=
                    "  " + port.padding(portWidth) + "  " + row.state.rawValue.padding(stateWidth) + "  "
                    + (row.reason ?? "").padding(14) + "  " + (row.service ?? "") + "\n"
            }
            if shown.count < rows.count {
                let counts = Dictionary(grouping: other, by: \.state).map { "\($0.value.count) \($0.key.rawValue)" }
                    .sorted().joined(separator: ", ")
                out += "  (not shown: \(counts))\n"
            }
        }
        let openCount = observations.filter { $0.state == .open }.count
        var summary = "\(hosts) host\(hosts == 1 ? "" : "s") × \(ports) port\(ports == 1 ? "" : "s"): \(openCount) open"
        if let statistics = result?.statistics {
            summary +=
                " in \(String(format1: NmapXMLOutput.seconds(statistics.elapsed)))s (\(statistics.probesSent) probes, \(statistics.retries) retries)"
        }
        return out + summary + "\n"
    }
}

extension String {
    /// Pads with spaces on the right to `width` characters (never truncates).
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
