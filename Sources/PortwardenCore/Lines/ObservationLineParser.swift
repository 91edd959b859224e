#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Parses one observation line's bytes field by field, without Foundation's JSON decoding and
/// without making strings of fields nobody asked for. Keeps the last timestamp it parsed: the
/// lines of one scan mostly share their second.
struct ObservationLineParser {
    private var lastTime: [UInt8] = []
    private var lastDate = Date(timeIntervalSince1970: 0)

    /// Parses `bytes` (one line without its newline).
    /// - Returns: `nil` for a blank line or a `#` comment.
    mutating func parse(_ bytes: UnsafeRawBufferPointer, line: Int) throws(JSONByteScanner.Failure) -> ObservationLine?
    {
        var scanner = JSONByteScanner(bytes)
        scanner.skipWhitespace()
        if scanner.atEnd || scanner.peek == UInt8(ascii: "#") { return nil }
        guard scanner.peek == UInt8(ascii: "{") else {
            throw scanner.fail("expected an observation object '{', found \(scanner.found)")
        }
        scanner.position += 1
        var required = RequiredFields()
        var fields = ObservationLineFields()
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "}") {
            scanner.position += 1
        } else {
            try members(&scanner, &required, &fields)
        }
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.fail("unexpected \(scanner.found) after the observation object") }
        return try required.line(number: line, scanner: scanner, fields: fields)
    }

    private mutating func members(
        _ scanner: inout JSONByteScanner, _ required: inout RequiredFields, _ fields: inout ObservationLineFields
    ) throws(JSONByteScanner.Failure) {
        while true {
            let key = try scanner.string()
            try scanner.expect(UInt8(ascii: ":"), "':' after the key")
            try value(for: key, &scanner, &required, &fields)
            scanner.skipWhitespace()
            if scanner.peek == UInt8(ascii: ","), !scanner.atEnd {
                scanner.position += 1
                continue
            }
            try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
            return
        }
    }

    private mutating func value(
        for key: JSONByteScanner.StringSpan, _ s: inout JSONByteScanner, _ r: inout RequiredFields,
        _ f: inout ObservationLineFields
    ) throws(JSONByteScanner.Failure) {
        switch key.count {
        case 4 where s.equals(key, "time"): r.time = try time(&s)
        case 4 where s.equals(key, "host"): r.host = try address(&s, "host")
        case 4 where s.equals(key, "port"): r.port = try port(&s)
        case 5 where s.equals(key, "state"): r.state = try choice(&s, "state", LineChoices.states)
        case 9 where s.equals(key, "transport"): r.transport = try choice(&s, "transport", LineChoices.transports)
        case 6 where s.equals(key, "source"): r.source = try optionalChoice(&s, "source", LineChoices.sources)
        case 6 where s.equals(key, "reason"): f.reason = try optionalString(&s, "reason")
        case 7 where s.equals(key, "vantage"): f.vantage = try optionalString(&s, "vantage")
        case 7 where s.equals(key, "service"): f.service = try optionalString(&s, "service")
        case 7 where s.equals(key, "process"): f.process = try optionalString(&s, "process")
        case 7 where s.equals(key, "product"): f.product = try optionalString(&s, "product")
        case 7 where s.equals(key, "version"): f.version = try optionalString(&s, "version")
        case 9 where s.equals(key, "namespace"): f.namespace = try optionalString(&s, "namespace")
        case 4 where s.equals(key, "user"): f.user = try optionalString(&s, "user")
        case 4 where s.equals(key, "unit"): f.unit = try optionalString(&s, "unit")
        case 9 where s.equals(key, "container"): f.container = try optionalString(&s, "container")
        case 4 where s.equals(key, "bind"): f.bind = try optionalChoice(&s, "bind", LineChoices.bindScopes)
        case 12 where s.equals(key, "bind_address"):
            f.bindAddress = s.consumeNull() ? nil : try address(&s, "bind_address")
        case 14 where s.equals(key, "source_address"):
            f.sourceAddress = s.consumeNull() ? nil : try address(&s, "source_address")
        case 3 where s.equals(key, "tls"): f.tls = try stringArray(&s, "tls")
        case 10 where s.equals(key, "handshakes"): f.handshakes = try stringMap(&s, "handshakes")
        case 7 where s.equals(key, "details"): f.details = try stringMap(&s, "details")
        default: try s.skipValue()
        }
    }

    private mutating func time(_ s: inout JSONByteScanner) throws(JSONByteScanner.Failure) -> Date {
        let at = s.position
        let span = try typed(&s, "time")
        let raw = UnsafeRawBufferPointer(rebasing: s.bytes[span.start..<span.end])
        if Self.same(raw, lastTime) { return lastDate }
        guard !span.escaped, let date = Timestamp.parse(bytes: raw) else {
            throw s.fail("time \(quoted(s, span)) is not an RFC 3339 time such as 2026-11-29T10:00:00Z", at: at)
        }
        lastTime = Array(raw)
        lastDate = date
        return date
    }

    /// Whether `raw` holds exactly the bytes of `last` (a byte loop: the generic `elementsEqual` went
    /// through iterators, on every line).
    private static func same(_ raw: UnsafeRawBufferPointer, _ last: [UInt8]) -> Bool {
        guard raw.count == last.count else { return false }
        return last.withUnsafeBytes { last in
            for offset in 0..<raw.count where raw[offset] != last[offset] { return false }
            return true
        }
    }

    private func address(_ s: inout JSONByteScanner, _ key: String) throws(JSONByteScanner.Failure) -> IPAddress {
        let at = s.position
        let span = try typed(&s, key)
        let raw = UnsafeRawBufferPointer(rebasing: s.bytes[span.start..<span.end])
        if let value = IPAddress.parseIPv4(bytes: raw) { return IPAddress(ipv4: value) }
        guard !span.escaped, let address = IPAddress(String(decoding: raw, as: UTF8.self)) else {
            throw s.fail("\(key) \(quoted(s, span)) is not an IPv4 or IPv6 address", at: at)
        }
        return address
    }

    private func port(_ s: inout JSONByteScanner) throws(JSONByteScanner.Failure) -> UInt16 {
        s.skipWhitespace()
        let at = s.position
        guard s.peek != UInt8(ascii: "\"") else { throw s.fail("port must be a number, found a string") }
        let value = try s.integer()
        guard value >= 1, value <= 65535 else { throw s.fail("port \(value) is out of range (1-65535)", at: at) }
        return UInt16(value)
    }

    private func choice<T>(
        _ s: inout JSONByteScanner, _ key: String, _ choices: Choices<T>
    ) throws(JSONByteScanner.Failure) -> T {
        let at = s.position
        let span = try typed(&s, key)
        if !span.escaped {
            for (name, value) in choices.names where Self.matches(s, span, name) { return value }
        }
        throw s.fail("\(key) \(quoted(s, span)) is not one of \(choices.list)", at: at)
    }

    private func optionalChoice<T>(
        _ s: inout JSONByteScanner, _ key: String, _ choices: Choices<T>
    ) throws(JSONByteScanner.Failure) -> T? {
        s.consumeNull() ? nil : try choice(&s, key, choices)
    }

    private static func matches(_ s: JSONByteScanner, _ span: JSONByteScanner.StringSpan, _ name: [UInt8]) -> Bool {
        guard span.count == name.count else { return false }
        for offset in 0..<name.count where s.bytes[span.start + offset] != name[offset] { return false }
        return true
    }

    /// A string where the format wants one, with a message naming the key otherwise.
    private func typed(
        _ s: inout JSONByteScanner, _ key: String
    ) throws(JSONByteScanner.Failure)
        -> JSONByteScanner.StringSpan
    {
        s.skipWhitespace()
        guard s.peek == UInt8(ascii: "\"") else { throw s.fail("\(key) must be a string, found \(kind(s))") }
        return try s.string()
    }

    private func optionalString(
        _ s: inout JSONByteScanner, _ key: String
    ) throws(JSONByteScanner.Failure)
        -> JSONByteScanner.StringSpan?
    {
        s.consumeNull() ? nil : try typed(&s, key)
    }

    private func stringArray(
        _ s: inout JSONByteScanner, _ key: String
    ) throws(JSONByteScanner.Failure)
        -> [JSONByteScanner.StringSpan]?
    {
        if s.consumeNull() { return nil }
        s.skipWhitespace()
        guard s.peek == UInt8(ascii: "[") else { throw s.fail("\(key) must be a list of strings, found \(kind(s))") }
        s.position += 1
        var items: [JSONByteScanner.StringSpan] = []
        s.skipWhitespace()
        if s.peek == UInt8(ascii: "]") {
            s.position += 1
            return items
        }
        while true {
            items.append(try typed(&s, "each entry of \(key)"))
            s.skipWhitespace()
            if s.peek == UInt8(ascii: ","), !s.atEnd {
                s.position += 1
                continue
            }
            try s.expect(UInt8(ascii: "]"), "',' or ']'")
            return items
        }
    }

    private func stringMap(
        _ s: inout JSONByteScanner, _ key: String
    ) throws(JSONByteScanner.Failure)
        -> [(JSONByteScanner.StringSpan, JSONByteScanner.StringSpan)]?
    {
        if s.consumeNull() { return nil }
        s.skipWhitespace()
        guard s.peek == UInt8(ascii: "{") else { throw s.fail("\(key) must be an object of strings, found \(kind(s))") }
        s.position += 1
        var pairs: [(JSONByteScanner.StringSpan, JSONByteScanner.StringSpan)] = []
        s.skipWhitespace()
        if s.peek == UInt8(ascii: "}") {
            s.position += 1
            return pairs
        }
        while true {
            let name = try s.string()
            try s.expect(UInt8(ascii: ":"), "':' after the key")
            pairs.append((name, try typed(&s, "\(key).\(s.text(name))")))
            s.skipWhitespace()
            if s.peek == UInt8(ascii: ","), !s.atEnd {
                s.position += 1
                continue
            }
            try s.expect(UInt8(ascii: "}"), "',' or '}'")
            return pairs
        }
    }

    /// The JSON type at the position, for messages.
    private func kind(_ s: JSONByteScanner) -> String {
        switch s.peek {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "a list"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "true or false"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return s.found
        }
    }

    private func quoted(_ s: JSONByteScanner, _ span: JSONByteScanner.StringSpan) -> String {
        JSONString.quoted(String(s.text(span).prefix(80)))
    }
}

/// The fields every observation line must have, as they are found.
private struct RequiredFields {
    var time: Date?
    var host: IPAddress?
    var transport: Transport?
    var port: UInt16?
    var state: PortState?
    var source: ObservationSource?

    func line(
        number: Int, scanner: JSONByteScanner, fields: ObservationLineFields
    ) throws(JSONByteScanner.Failure)
        -> ObservationLine
    {
        guard let time else { throw missing("time", scanner) }
        guard let host else { throw missing("host", scanner) }
        guard let transport else { throw missing("transport", scanner) }
        guard let port else { throw missing("port", scanner) }
        guard let state else { throw missing("state", scanner) }
        return ObservationLine(
            time: time, host: host, transport: transport, port: port, state: state, source: source ?? .scan,
            line: number, scanner: scanner, fields: fields)
    }

    private func missing(_ key: String, _ scanner: JSONByteScanner) -> JSONByteScanner.Failure {
        scanner.fail("the observation has no \"\(key)\"", at: 0)
    }
}

/// The values of an enumerated field with their names as bytes, built once: matching a line's value
/// against them allocates nothing (`allCases` built an array on every line).
struct Choices<T: Sendable>: Sendable {
    let names: [([UInt8], T)]
    /// The names for messages: `open, closed, filtered`.
    let list: String

    init(_ cases: [T], name: (T) -> String) {
        names = cases.map { (Array(name($0).utf8), $0) }
        list = cases.map(name).joined(separator: ", ")
    }
}

/// The enumerated fields of an observation line.
private enum LineChoices {
    static let states = Choices(PortState.allCases, name: \.rawValue)
    static let transports = Choices(Transport.allCases, name: \.rawValue)
    static let sources = Choices(ObservationSource.allCases, name: \.rawValue)
    static let bindScopes = Choices(BindScope.allCases, name: \.rawValue)
}
