import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Zeek `conn.log` records as JSON, in Zeek's own keys (`id.orig_h`), underscore keys
/// (`id_orig_h`) or ECS names (`source.ip`, `zeek.connection.state`).
enum ZeekConnJSON {
    /// The `conn_state` values in which the TCP handshake completed (or UDP traffic went both ways):
    /// the port was used.
    static let establishedStates: Set<String> = ["SF", "S1", "S2", "S3", "RSTO", "RSTR"]

    static func parse(_ line: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        let record = try JSONRecord.parse(line)
        guard let time = try record.time("ts", "@timestamp", "event.start") else {
            throw LogLineError(offset: 0, "no ts, @timestamp or event.start")
        }
        let source = try record.address("the originator", "id.orig_h", "id_orig_h", "source.ip")
        let destination = try record.address("the responder", "id.resp_h", "id_resp_h", "destination.ip")
        let protoText = record.string("proto", "network.transport") ?? ""
        return .flow(
            event(
                time: time, proto: IPProtocolName.number(protoText) ?? 0, source: source,
                sourcePort: try record.port("id.orig_p", "id_orig_p", "source.port"), destination: destination,
                destinationPort: try record.port("id.resp_p", "id_resp_p", "destination.port"),
                state: record.string("conn_state", "zeek.connection.state"),
                uid: record.string("uid", "zeek.session_id", "event.id"),
                communityID: record.string("community_id", "network.community_id")))
    }

    /// The flow event for one connection; ICMP's "ports" are its type and code.
    static func event(
        time: Date, proto: UInt8, source: IPAddress, sourcePort: UInt16?, destination: IPAddress,
        destinationPort: UInt16?, state: String?, uid: String?, communityID: String?
    ) -> FlowEvent {
        let isICMP = proto == 1 || proto == 58
        let established = state.map { establishedStates.contains($0) }
        return FlowEvent(
            time: time, origin: .zeek, ipProtocol: proto, sourceAddress: source,
            sourcePort: isICMP ? nil : sourcePort, destinationAddress: destination,
            destinationPort: isICMP ? nil : destinationPort, verdict: established == true ? .allowed : .unknown,
            established: established, tag: uid,
            icmpType: isICMP ? sourcePort.flatMap { UInt8(exactly: $0) } : nil,
            icmpCode: isICMP ? destinationPort.flatMap { UInt8(exactly: $0) } : nil, communityID: communityID)
    }
}
