import PortwardenCore
import PortwardenScan

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `scan --format xml`: nmap-compatible XML from a scan result.
enum NmapXMLOutput {
    static func render(
        _ observations: [Observation], result: ScanResult?, ports: [UInt16], arguments: [String], detection: Bool
    ) -> String {
        let end = observations.map(\.time).max() ?? Date()
        let elapsed = result.map { seconds($0.statistics.elapsed) } ?? 0
        var timing: [IPAddress: ScanRunInfo.HostTiming] = [:]
        for host in result?.statistics.perHost ?? [] {
            timing[host.host] = ScanRunInfo.HostTiming(
                srtt: microseconds(host.srtt), rttvar: microseconds(host.rttvar), timeout: microseconds(host.timeout))
        }
        let run = ScanRunInfo(
            version: PortwardenVersion.current, args: arguments.joined(separator: " "),
            start: end.addingTimeInterval(-elapsed), end: end,
            portsScanned: [observations.first?.transport ?? .tcp: PortRange.coalesced(ports: ports)], timing: timing,
            serviceDetection: detection)
        return NmapXMLWriter.render(observations, run: run)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func microseconds(_ duration: Duration?) -> Int {
        guard let duration else { return 0 }
        return Int(seconds(duration) * 1_000_000)
    }
}
