import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The members of one eve.json record that `SuricataEveParser` reads, found in one pass over the line's
/// bytes with `JSONByteScanner`: every other member is skipped (and checked to be JSON), nothing is decoded
/// that is not used, and `null` counts as absent. Top-level members and those of `flow`, `tcp`, `netflow`,
/// `alert` and `anomaly` are read; a flattened key (`"flow.state"`) is read like the nested one.
struct EveFields {
    /// A scalar member: a string's bytes, a number or a boolean.
    enum Scalar {
        case string(JSONByteScanner.StringSpan)
        case integer(Int64)
        case number(Double)
        case bool(Bool)
    }

    /// The members read, by dotted path.
    enum Key: Int, CaseIterable {
        case eventType, timestamp, srcIP, srcPort, destIP, destPort, proto, host, flowID, communityID
        case icmpType, icmpCode, flowState, flowAction, flowPktsToClient, tcpState, netflowPkts
        case alertSignature, alertSignatureID, alertSeverity, alertAction, anomalyEvent

        var path: StaticString {
            switch self {
            case .eventType: return "event_type"
            case .timestamp: return "timestamp"
            case .srcIP: return "src_ip"
            case .srcPort: return "src_port"
            case .destIP: return "dest_ip"
            case .destPort: return "dest_port"
            case .proto: return "proto"
            case .host: return "host"
            case .flowID: return "flow_id"
            case .communityID: return "community_id"
            case .icmpType: return "icmp_type"
            case .icmpCode: return "icmp_code"
            case .flowState: return "flow.state"
            case .flowAction: return "flow.action"
            case .flowPktsToClient: return "flow.pkts_toclient"
            case .tcpState: return "tcp.state"
            case .netflowPkts: return "netflow.pkts"
            case .alertSignature: return "alert.signature"
            case .alertSignatureID: return "alert.signature_id"
            case .alertSeverity: return "alert.severity"
            case .alertAction: return "alert.action"
            case .anomalyEvent: return "anomaly.event"
            }
        }

        /// The nested objects whose members are read, and the keys of those members.
        static let objects: [(name: StaticString, members: [(StaticString, Key)])] = [
            ("flow", [("state", .flowState), ("action", .flowAction), ("pkts_toclient", .flowPktsToClient)]),
            ("tcp", [("state", .tcpState)]),
            ("netflow", [("pkts", .netflowPkts)]),
            (
                "alert",
                [
                    ("signature", .alertSignature), ("signature_id", .alertSignatureID), ("severity", .alertSeverity),
                    ("action", .alertAction),
                ]
            ),
            ("anomaly", [("event", .anomalyEvent)]),
        ]
    }

    private var values = [Scalar?](repeating: nil, count: Self.keyCount)

    /// `Key.allCases.count` once: `allCases` builds an array on every use.
    private static let keyCount = Key.allCases.count

    /// The keys read at the top level (also the flattened `flow.state` style) and the nested objects, found by
    /// length first: most members of a record are neither and cost one table look-up.
    private static let topLevel = KeyTable(Key.allCases.map { ($0.path, $0) })
    private static let nested = KeyTable(Key.objects.indices.map { (Key.objects[$0].name, $0) })

    subscript(key: Key) -> Scalar? { values[key.rawValue] }

    /// Reads the members of the object that makes up `bytes`.
    /// - Throws: the scanner's failure (byte offset and message) for a line that is not one JSON object.
    init(_ scanner: inout JSONByteScanner) throws(JSONByteScanner.Failure) {
        try scanner.expect(UInt8(ascii: "{"), "'{' (a JSON object)")
        try Self.members(&scanner) {
            (key: JSONByteScanner.StringSpan, scanner: inout JSONByteScanner) throws(JSONByteScanner.Failure) in
            if let top = Self.topLevel.match(key, scanner) {
                values[top.rawValue] = try Self.scalar(&scanner)
                return
            }
            guard let object = Self.nested.match(key, scanner).map({ Key.objects[$0] }) else {
                try scanner.skipValue()
                return
            }
            scanner.skipWhitespace()
            guard scanner.peek == UInt8(ascii: "{") else {
                try scanner.skipValue()
                return
            }
            scanner.position += 1
            try Self.members(&scanner) {
                (inner: JSONByteScanner.StringSpan, scanner: inout JSONByteScanner) throws(JSONByteScanner.Failure) in
                if let member = object.members.first(where: { scanner.equals(inner, $0.0) }) {
                    values[member.1.rawValue] = try Self.scalar(&scanner)
                } else {
                    try scanner.skipValue(depth: 1)
                }
            }
        }
        scanner.skipWhitespace()
        guard scanner.atEnd else {
            throw scanner.fail("expected the end of the line after the object, found \(scanner.found)")
        }
    }

    /// Walks the members of an object whose `{` was just read, through its `}`; `member` reads each value.
    private static func members(
        _ scanner: inout JSONByteScanner,
        _ member: (JSONByteScanner.StringSpan, inout JSONByteScanner) throws(JSONByteScanner.Failure) -> Void
    ) throws(JSONByteScanner.Failure) {
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "}"), !scanner.atEnd {
            scanner.position += 1
            return
        }
        while true {
            let key = try scanner.string()
            try scanner.expect(UInt8(ascii: ":"), "':' after the key")
            try member(key, &scanner)
            scanner.skipWhitespace()
            if scanner.peek == UInt8(ascii: ","), !scanner.atEnd {
                scanner.position += 1
                continue
            }
            try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
            return
        }
    }

    /// A scalar value; `nil` for `null` and for objects and arrays (skipped).
    private static func scalar(_ scanner: inout JSONByteScanner) throws(JSONByteScanner.Failure) -> Scalar? {
        scanner.skipWhitespace()
        switch scanner.peek {
        case UInt8(ascii: "\""): return .string(try scanner.string())
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try scanner.skipValue(depth: 1)
            return nil
        default:
            let start = scanner.position
            try scanner.skipScalar()
            let raw = UnsafeRawBufferPointer(rebasing: scanner.bytes[start..<scanner.position])
            if raw.elementsEqual("null".utf8) { return nil }
            if raw.elementsEqual("true".utf8) { return .bool(true) }
            if raw.elementsEqual("false".utf8) { return .bool(false) }
            if let value = whole(raw) { return .integer(value) }
            return Double(String(decoding: raw, as: UTF8.self)).map(Scalar.number)
        }
    }

    /// An integer written without fraction or exponent, or `nil` (also beyond 64 bits).
    private static func whole(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let negative = raw.first == UInt8(ascii: "-")
        var index = negative ? 1 : 0
        guard index < raw.count else { return nil }
        var value: Int64 = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte >= 48, byte <= 57 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    /// The text of a scalar, as `JSONValue.text` gives it: a string's characters, a number's digits.
    static func text(_ scalar: Scalar?, _ scanner: JSONByteScanner) -> String? {
        switch scalar {
        case .string(let span): return scanner.text(span)
        case .integer(let value): return String(value)
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): return String(value)
        case nil: return nil
        }
    }

    /// An integer from a whole number or a numeric string, as `JSONValue.integer` gives it.
    static func integer(_ scalar: Scalar?, _ scanner: JSONByteScanner) -> Int64? {
        switch scalar {
        case .integer(let value): return value
        case .number(let value): return value == value.rounded() && abs(value) < 9e15 ? Int64(value) : nil
        case .string(let span): return Int64(scanner.text(span))
        case .bool, nil: return nil
        }
    }

    /// Whether a member is the string `literal` (ASCII, as written).
    static func isString(_ scalar: Scalar?, _ literal: StaticString, _ scanner: JSONByteScanner) -> Bool {
        guard case .string(let span) = scalar else { return false }
        return scanner.equals(span, literal) || (span.escaped && scanner.text(span) == literal.description)
    }
}

/// Names to values, looked up by a JSON key's bytes: candidates by length, then by bytes.
private struct KeyTable<Value: Sendable>: Sendable {
    private var byLength: [[(name: [UInt8], value: Value)]] = []

    init(_ entries: [(StaticString, Value)]) {
        for (name, value) in entries {
            let bytes = name.withUTF8Buffer { Array($0) }
            while byLength.count <= bytes.count { byLength.append([]) }
            byLength[bytes.count].append((bytes, value))
        }
    }

    /// The value of the key `span` names exactly (unescaped, as `JSONByteScanner.equals` compares).
    @inline(__always)
    func match(_ span: JSONByteScanner.StringSpan, _ scanner: JSONByteScanner) -> Value? {
        guard span.count < byLength.count, !span.escaped else { return nil }
        for candidate in byLength[span.count] {
            var same = true
            for offset in 0..<span.count where scanner.bytes[span.start + offset] != candidate.name[offset] {
                same = false
                break
            }
            if same { return candidate.value }
        }
        return nil
    }
}
