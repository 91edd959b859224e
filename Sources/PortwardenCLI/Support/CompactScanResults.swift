import PortwardenCore
import PortwardenScan

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `scan --format xml|text` keeps while the scan runs: per host its open ports in full and
/// every other port as runs of equal state, so memory does not grow with the number of closed or
/// filtered ports (a 16 × 65,535 loopback scan keeps a few runs per host, not a million observations).
struct CompactScanResults {
    struct Host {
        var coverage: HostCoverage
        var listed: [Observation] = []
        var first: Date
        var last: Date
    }

    private(set) var order: [IPAddress] = []
    private(set) var hosts: [IPAddress: Host] = [:]
    /// Keep only open ports (`--open`).
    let openOnly: Bool

    init(openOnly: Bool) {
        self.openOnly = openOnly
    }

    mutating func add(_ observation: Observation) {
        if openOnly, observation.state != .open { return }
        if hosts[observation.host] == nil {
            order.append(observation.host)
            hosts[observation.host] = Host(
                coverage: HostCoverage(host: observation.host, status: .up, reason: ""), first: observation.time,
                last: observation.time)
        }
        hosts[observation.host]?.coverage.record(observation)
        if observation.state == .open { hosts[observation.host]?.listed.append(observation) }
        if let host = hosts[observation.host] {
            if observation.time < host.first { hosts[observation.host]?.first = observation.time }
            if observation.time > host.last { hosts[observation.host]?.last = observation.time }
        }
    }

    /// The nmap XML document.
    func xml(
        outcome: ScanOutcome, ports: [UInt16], transport: Transport, arguments: [String], detection: Bool
    )
        -> String
    {
        let record = outcome.record
        var timing: [IPAddress: ScanRunInfo.HostTiming] = [:]
        for host in outcome.tcpStatistics?.perHost ?? [] {
            timing[host.host] = ScanRunInfo.HostTiming(
                srtt: NmapXMLOutput.microseconds(host.srtt), rttvar: NmapXMLOutput.microseconds(host.rttvar),
                timeout: NmapXMLOutput.microseconds(host.timeout))
        }
        let run = ScanRunInfo(
            version: PortwardenVersion.current, args: arguments.joined(separator: " "), start: record.started,
            end: record.finished ?? Date(), scanTypes: [.tcp: record.parameters.engine, .udp: "udp"],
            portsScanned: [transport: PortRange.coalesced(ports: ports)], timing: timing, serviceDetection: detection)
        var out = NmapXMLWriter.header(run: run)
        for address in order {
            guard let host = hosts[address] else { continue }
            out += NmapXMLWriter.host(
                address, listed: host.listed, ranges: host.coverage.ranges, start: host.first, end: host.last, run: run)
        }
        let down = record.hosts.filter { hosts[$0.host] == nil }
        for host in down {
            out += NmapXMLWriter.downHost(host.host, reason: host.status == .unreachable ? "no-route" : "no-response")
        }
        return out + NmapXMLWriter.footer(up: order.count, down: down.count, run: run)
    }

    /// The text table: open ports of each host with what detection proved (`DetectionSummary`),
    /// closed/filtered ones too when there are at most 20, otherwise counted; then a summary line.
    func text(outcome: ScanOutcome, hostCount: Int, portCount: Int) -> String {
        var out = ""
        for address in order {
            guard let host = hosts[address] else { continue }
            out += "\(address)\n"
            let others = host.coverage.ranges.filter { $0.state != .open }
            let otherCount = others.reduce(0) { $0 + $1.ports.count }
            var rows = host.listed.map { (transport: $0.transport, port: $0.port, state: $0.state, reason: $0.reason) }
            if otherCount <= 20 {
                for range in others {
                    for port in range.ports.lower...range.ports.upper {
                        rows.append((range.transport, port, range.state, range.reason))
                    }
                }
            }
            rows.sort { ($0.transport, $0.port) < ($1.transport, $1.port) }
            if rows.isEmpty { out += "  no open ports\n" }
            let listedByPort = Dictionary(
                host.listed.map { (PortSpec($0.transport, port: $0.port), $0) }, uniquingKeysWith: { first, _ in first }
            )
            for row in rows {
                let port = "\(row.port)/\(row.transport.rawValue)"
                let listed = listedByPort[PortSpec(row.transport, port: row.port)]
                out +=
                    "  " + port.padding(9) + "  " + row.state.rawValue.padding(8) + "  "
                    + (row.reason ?? "").padding(14)
                    + "  " + (listed.map(DetectionSummary.service) ?? "") + "\n"
                for line in listed.map(DetectionSummary.lines) ?? [] { out += "      " + line + "\n" }
            }
            if otherCount > 20 {
                var counts: [PortState: Int] = [:]
                for range in others { counts[range.state, default: 0] += range.ports.count }
                let text = counts.map { "\($0.value) \($0.key.rawValue)" }.sorted().joined(separator: ", ")
                out += "  (not shown: \(text))\n"
            }
        }
        let open = order.reduce(0) { $0 + (hosts[$1]?.listed.count ?? 0) }
        var summary = "\(hostCount) host\(hostCount == 1 ? "" : "s") × \(portCount) port\(portCount == 1 ? "" : "s"): "
        summary += "\(open) open"
        if let statistics = outcome.tcpStatistics {
            summary +=
                " in \(String(format1: NmapXMLOutput.seconds(statistics.elapsed)))s (\(statistics.probesSent) probes, "
                + "\(statistics.retries) retries)"
        }
        return out + summary + "\n"
    }
}
