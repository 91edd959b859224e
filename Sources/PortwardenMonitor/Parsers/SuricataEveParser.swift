import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads Suricata `eve.json`: `flow` and `netflow` records become flow events, `drop` records
/// denied flows, `alert` and `anomaly` records security events; other event types are `.ignored`.
/// One pass over the line's bytes (`EveFields`): only the members used are decoded.
public struct SuricataEveParser: Sendable {
    public init() {}

    public func parse(_ line: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        let result: Result<LogRecord, LogLineError> = line.withUnsafeBytes { bytes in
            var scanner = JSONByteScanner(bytes)
            do throws(JSONByteScanner.Failure) {
                let fields = try EveFields(&scanner)
                return Result { () throws(LogLineError) in try Self.record(fields, scanner, line) }
            } catch {
                return .failure(LogLineError(offset: error.offset, "not a JSON object: \(error.message)"))
            }
        }
        return try result.get()
    }

    private static func record(
        _ fields: EveFields, _ scanner: JSONByteScanner, _ line: ArraySlice<UInt8>
    ) throws(LogLineError) -> LogRecord {
        func text(_ key: EveFields.Key) -> String? { EveFields.text(fields[key], scanner) }
        func integer(_ key: EveFields.Key) -> Int64? { EveFields.integer(fields[key], scanner) }
        /// An address read from the line's bytes when it is written without escapes (no `String` made).
        func address(_ key: EveFields.Key, _ name: String) throws(LogLineError) -> IPAddress {
            if case .string(let span) = fields[key], !span.escaped,
                let address = IPAddress(utf8: line[(line.startIndex + span.start)..<(line.startIndex + span.end)])
            {
                return address
            }
            return try Self.address(text(key), name)
        }
        guard let type = EventType(fields[.eventType], scanner) else {
            guard fields[.eventType] != nil else { throw LogLineError(offset: 0, "no event_type") }
            return .ignored
        }
        guard let time = try Self.time(fields[.timestamp], scanner) else {
            throw LogLineError(offset: 0, "no timestamp")
        }
        let source = try address(.srcIP, "src_ip")
        let destination = try address(.destIP, "dest_ip")
        let protoText = text(.proto) ?? ""
        guard let proto = IPProtocolName.number(protoText) else {
            throw LogLineError(offset: 0, "proto \"\(protoText)\" is not a protocol name or number")
        }
        let sourcePort = try port(fields[.srcPort], "src_port", scanner)
        let destinationPort = try port(fields[.destPort], "dest_port", scanner)
        let sensor = text(.host)
        switch type {
        case .alert, .anomaly:
            return .security(
                SecurityEvent(
                    time: time, kind: type == .alert ? .idsAlert : .anomaly, origin: .suricata, sourceAddress: source,
                    sourcePort: sourcePort, destinationAddress: destination, destinationPort: destinationPort,
                    ipProtocol: proto, signature: text(.alertSignature) ?? text(.anomalyEvent),
                    signatureID: integer(.alertSignatureID).map { Int($0) },
                    severity: integer(.alertSeverity).map { Int($0) }, sensor: sensor,
                    blocked: EveFields.isString(fields[.alertAction], "blocked", scanner)))
        case .flow, .drop:
            let state = text(.flowState) ?? text(.tcpState)
            // A closed flow counts as used when the server sent something back.
            let replied = (integer(.flowPktsToClient) ?? integer(.netflowPkts) ?? 0) > 0
            let established: Bool? =
                type == .drop ? false : state.map { $0 == "established" || $0 == "closed" && replied }
            let dropped = type == .drop || EveFields.isString(fields[.flowAction], "drop", scanner)
            return .flow(
                FlowEvent(
                    time: time, origin: .suricata, ipProtocol: proto, sourceAddress: source, sourcePort: sourcePort,
                    destinationAddress: destination, destinationPort: destinationPort,
                    verdict: dropped ? .denied : (established == true ? .allowed : .unknown), established: established,
                    sensor: sensor, tag: text(.flowID), icmpType: integer(.icmpType).flatMap { UInt8(exactly: $0) },
                    icmpCode: integer(.icmpCode).flatMap { UInt8(exactly: $0) }, communityID: text(.communityID)))
        }
    }

    /// The event types that are judged (`netflow` reads as `flow`).
    private enum EventType {
        case flow, drop, alert, anomaly

        init?(_ scalar: EveFields.Scalar?, _ scanner: JSONByteScanner) {
            if EveFields.isString(scalar, "flow", scanner) || EveFields.isString(scalar, "netflow", scanner) {
                self = .flow
            } else if EveFields.isString(scalar, "drop", scanner) {
                self = .drop
            } else if EveFields.isString(scalar, "alert", scanner) {
                self = .alert
            } else if EveFields.isString(scalar, "anomaly", scanner) {
                self = .anomaly
            } else {
                return nil
            }
        }
    }

    private static func address(_ text: String?, _ key: String) throws(LogLineError) -> IPAddress {
        guard let text else { throw LogLineError(offset: 0, "no \(key) (\(key))") }
        guard let address = IPAddress(text) else {
            throw LogLineError(offset: 0, "\(key) \"\(text)\" is not an address")
        }
        return address
    }

    private static func port(
        _ scalar: EveFields.Scalar?, _ key: String, _ scanner: JSONByteScanner
    ) throws(LogLineError) -> UInt16? {
        guard let scalar else { return nil }
        guard let number = EveFields.integer(scalar, scanner), number >= 0, number <= 65535 else {
            throw LogLineError(offset: 0, "\(key) \(EveFields.text(scalar, scanner) ?? "value") is not a port")
        }
        return UInt16(number)
    }

    /// A time written as epoch seconds (number or numeric string) or as ISO 8601 text.
    private static func time(_ scalar: EveFields.Scalar?, _ scanner: JSONByteScanner) throws(LogLineError) -> Date? {
        switch scalar {
        case nil: return nil
        case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .number(let seconds): return Date(timeIntervalSince1970: seconds)
        case .string(let span):
            if !span.escaped,
                let date = LogBytes.isoTime(raw: UnsafeRawBufferPointer(rebasing: scanner.bytes[span.start..<span.end]))
            {
                return date
            }
            let text = scanner.text(span)
            if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
            if let date = LogBytes.isoTime(Array(text.utf8)[...]) { return date }
            throw LogLineError(offset: 0, "timestamp \"\(text)\" is not a time")
        case .bool: throw LogLineError(offset: 0, "timestamp is a boolean, not a time")
        }
    }
}
