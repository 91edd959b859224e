import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads Suricata `eve.json`: `flow` and `netflow` records become flow events, `drop` records
/// denied flows, `alert` and `anomaly` records security events; other event types are `.ignored`.
public struct SuricataEveParser: Sendable {
    public init() {}

    public func parse(_ line: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        let record = try JSONRecord.parse(line)
        guard let type = record.string("event_type") else { throw LogLineError(offset: 0, "no event_type") }
        switch type {
        case "flow", "netflow", "drop", "alert", "anomaly": break
        default: return .ignored
        }
        guard let time = try record.time("timestamp") else { throw LogLineError(offset: 0, "no timestamp") }
        let source = try record.address("src_ip", "src_ip")
        let destination = try record.address("dest_ip", "dest_ip")
        let protoText = record.string("proto") ?? ""
        guard let proto = IPProtocolName.number(protoText) else {
            throw LogLineError(offset: 0, "proto \"\(protoText)\" is not a protocol name or number")
        }
        let sourcePort = try record.port("src_port")
        let destinationPort = try record.port("dest_port")
        let sensor = record.string("host")
        switch type {
        case "alert", "anomaly":
            return .security(
                SecurityEvent(
                    time: time, kind: type == "alert" ? .idsAlert : .anomaly, origin: .suricata, sourceAddress: source,
                    sourcePort: sourcePort, destinationAddress: destination, destinationPort: destinationPort,
                    ipProtocol: proto, signature: record.string("alert.signature", "anomaly.event"),
                    signatureID: record.find("alert.signature_id")?.integer.map { Int($0) },
                    severity: record.find("alert.severity")?.integer.map { Int($0) }, sensor: sensor,
                    blocked: record.string("alert.action") == "blocked"))
        default:
            let state = record.string("flow.state", "tcp.state")
            let established: Bool? =
                type == "drop" ? false : state.map { $0 == "established" || $0 == "closed" && hasReply(record) }
            let dropped = type == "drop" || record.string("flow.action") == "drop"
            return .flow(
                FlowEvent(
                    time: time, origin: .suricata, ipProtocol: proto, sourceAddress: source, sourcePort: sourcePort,
                    destinationAddress: destination, destinationPort: destinationPort,
                    verdict: dropped ? .denied : (established == true ? .allowed : .unknown), established: established,
                    sensor: sensor, tag: record.string("flow_id"),
                    icmpType: record.find("icmp_type")?.integer.flatMap { UInt8(exactly: $0) },
                    icmpCode: record.find("icmp_code")?.integer.flatMap { UInt8(exactly: $0) },
                    communityID: record.string("community_id")))
        }
    }

    /// A closed flow counts as used when the server sent something back.
    private func hasReply(_ record: JSONRecord) -> Bool {
        (record.find("flow.pkts_toclient", "netflow.pkts")?.integer ?? 0) > 0
    }
}
