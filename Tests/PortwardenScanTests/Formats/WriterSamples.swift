import Foundation
import PortwardenCore
import PortwardenScan

/// Scans for the writer tests: two hosts with collapsed, listed and UDP ports, one down host.
enum WriterSamples {
    static let start = Date(timeIntervalSince1970: 1_795_921_466)
    static let end = Date(timeIntervalSince1970: 1_795_921_475.5)

    static func observation(
        _ host: String, _ port: UInt16, _ state: PortState, _ reason: String?, transport: Transport = .tcp,
        service: String? = nil, offset: Double = 1
    ) -> Observation {
        Observation(
            time: start.addingTimeInterval(offset), host: IPAddress(host)!, transport: transport, port: port,
            state: state, reason: reason, source: .scan, vantage: "corp", service: service)
    }

    /// Scan A of the ndiff test: 10.0.0.1 has 22 and 80 open, everything else in 1-100 and 443 closed.
    static func scanA() -> [Observation] {
        var result: [Observation] = []
        for port in UInt16(1)...100 where port != 22 && port != 80 {
            result.append(observation("10.0.0.1", port, .closed, "conn-refused"))
        }
        result.append(observation("10.0.0.1", 22, .open, "syn-ack", service: "ssh"))
        result.append(observation("10.0.0.1", 80, .open, "syn-ack", service: "http"))
        result.append(observation("10.0.0.1", 443, .closed, "conn-refused"))
        return result
    }

    /// Scan B: 22 closed, 443 opened, and a new host 10.0.0.2 with 25 open.
    static func scanB() -> [Observation] {
        var result: [Observation] = []
        for port in UInt16(1)...100 where port != 80 {
            result.append(observation("10.0.0.1", port, .closed, "conn-refused"))
        }
        result.append(observation("10.0.0.1", 80, .open, "syn-ack", service: "http"))
        result.append(observation("10.0.0.1", 443, .open, "syn-ack", service: "https"))
        for port in UInt16(1)...100 where port != 25 {
            result.append(observation("10.0.0.2", port, .closed, "conn-refused"))
        }
        result.append(observation("10.0.0.2", 25, .open, "syn-ack", service: "smtp"))
        result.append(observation("10.0.0.2", 443, .closed, "conn-refused"))
        return result
    }

    static func run(
        scanner: String = "portwarden", args: String = "portwarden scan -p 1-100,443 10.0.0.0/30"
    )
        -> ScanRunInfo
    {
        ScanRunInfo(
            scanner: scanner, version: "0.1", args: args, start: start, end: end,
            portsScanned: [.tcp: [PortRange(1, 100)!, PortRange(port: 443)]], downHosts: [IPAddress("10.0.0.3")!],
            timing: [IPAddress("10.0.0.1")!: .init(srtt: 654, rttvar: 1096, timeout: 100_000)])
    }
}
