#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses one observation line's bytes field by field, without Foundation's JSON decoding and
/// without making strings of fields nobody asked for. Keeps the last timestamp it parsed (the
/// lines of one scan mostly share their second) and the keys of the last line, in order
/// (``ObservationLineShape``).
struct ObservationLineParser {
    private var lastTime: [UInt8] = []
    private var lastDate = Date(timeIntervalSince1970: 0)
    private var shape = ObservationLineShape()

    /// Whether `bytes` (one line) is blank or a `#` comment: no observation and no problem.
    static func isBlankOrComment(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var scanner = JSONByteScanner(bytes)
        scanner.skipWhitespace()
        return scanner.atEnd || scanner.peek == UInt8(ascii: "#")
    }

    /// Parses `bytes` (one line without its newline, neither blank nor a comment).
    mutating func parse(_ bytes: UnsafeRawBufferPointer, line: Int) throws(JSONByteScanner.Failure) -> ObservationLine {
        var scanner = JSONByteScanner(bytes)
        scanner.skipWhitespace()
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
        var rebuilt: ObservationLineShape?
        var index = 0
        while true {
            scanner.skipWhitespace()
            let field: ObservationLineField
            if rebuilt == nil, let known = shape.match(index, &scanner) {
                field = known
            } else {
                if rebuilt == nil { rebuilt = shape.prefix(index) }
                let start = scanner.position
                let key = try scanner.string()
                let direct = scanner.peek == UInt8(ascii: ":") && !scanner.atEnd
                try scanner.expect(UInt8(ascii: ":"), "':' after the key")
                field = ObservationLineField.named(key, in: scanner)
                // Only a key whose colon follows its closing quote is a pattern the shape can compare.
                if direct, let count = rebuilt?.count, count == index {
                    _ = rebuilt?.append(
                        UnsafeRawBufferPointer(rebasing: scanner.bytes[start..<scanner.position]), field)
                }
            }
            try value(field, &scanner, &required, &fields)
            index += 1
            scanner.skipWhitespace()
            if scanner.peek == UInt8(ascii: ","), !scanner.atEnd {
                scanner.position += 1
                continue
            }
            try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
            if let rebuilt { shape = rebuilt }
            return
        }
    }

    private mutating func value(
        _ field: ObservationLineField, _ s: inout JSONByteScanner, _ r: inout RequiredFields,
        _ f: inout ObservationLineFields
    ) throws(JSONByteScanner.Failure) {
        switch field {
        case .time: r.time = try time(&s)
        case .host: r.host = try address(&s, "host")
        case .port: r.port = try port(&s)
        case .state: r.state = try choice(&s, "state", LineChoices.states)
        case .transport: r.transport = try choice(&s, "transport", LineChoices.transports)
        case .source: r.source = try optionalChoice(&s, "source", LineChoices.sources)
        case .reason: f.reason = try optionalString(&s, "reason")
        case .vantage: f.vantage = try optionalString(&s, "vantage")
        case .service: f.service = try optionalString(&s, "service")
        case .process: f.process = try optionalString(&s, "process")
        case .product: f.product = try optionalString(&s, "product")
        case .version: f.version = try optionalString(&s, "version")
        case .namespace: f.namespace = try optionalString(&s, "namespace")
        case .user: f.user = try optionalString(&s, "user")
        case .unit: f.unit = try optionalString(&s, "unit")
        case .container: f.container = try optionalString(&s, "container")
        case .bind: f.bind = try optionalChoice(&s, "bind", LineChoices.bindScopes)
        case .bindAddress: f.bindAddress = s.consumeNull() ? nil : try address(&s, "bind_address")
        case .sourceAddress: f.sourceAddress = s.consumeNull() ? nil : try address(&s, "source_address")
        // Lists and maps are checked here and read only by `ObservationLine.observation()`, from
        // where they start: the parsed line holds no array, so copying it retains nothing.
        case .tls: f.tls = try stringArray(&s, "tls", keep: false)?.start
        case .handshakes: f.handshakes = try stringMap(&s, "handshakes", keep: false)?.start
        case .details: f.details = try stringMap(&s, "details", keep: false)?.start
        case .other: try s.skipValue()
        }
    }

    private mutating func time(_ s: inout JSONByteScanner) throws(JSONByteScanner.Failure) -> Date {
        s.skipWhitespace()
        if Self.repeats(lastTime, in: &s) { return lastDate }
        let at = s.position
        let span = try typed(&s, "time")
        let raw = UnsafeRawBufferPointer(rebasing: s.bytes[span.start..<span.end])
        guard !span.escaped, let date = Timestamp.parse(bytes: raw) else {
            throw s.fail("time \(quoted(s, span)) is not an RFC 3339 time such as 2026-11-29T10:00:00Z", at: at)
        }
        lastTime = Array(raw)
        lastDate = date
        return date
    }

    /// Whether the scanner stands on the string `"last"` (then it moves past it). `last` is a
    /// timestamp already parsed, without quotes or backslashes, so the closing quote ends the string.
    @inline(__always)
    private static func repeats(_ last: [UInt8], in s: inout JSONByteScanner) -> Bool {
        let start = s.position
        let count = last.count
        guard count > 0, start + count + 2 <= s.bytes.count, s.bytes[start] == 0x22, s.bytes[start + count + 1] == 0x22
        else { return false }
        guard let base = s.bytes.baseAddress,
            last.withUnsafeBytes({ $0.baseAddress.map { memcmp(base + start + 1, $0, count) == 0 } ?? false })
        else { return false }
        s.position = start + count + 2
        return true
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
        if !span.escaped, let value = choices.value(of: span, in: s) { return value }
        throw s.fail("\(key) \(quoted(s, span)) is not one of \(choices.list)", at: at)
    }

    private func optionalChoice<T>(
        _ s: inout JSONByteScanner, _ key: String, _ choices: Choices<T>
    ) throws(JSONByteScanner.Failure) -> T? {
        s.consumeNull() ? nil : try choice(&s, key, choices)
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

    /// A list of strings (`nil` for null): where it starts (its `[`) and, with `keep`, its entries.
    func stringArray(
        _ s: inout JSONByteScanner, _ key: String, keep: Bool
    ) throws(JSONByteScanner.Failure)
        -> (start: UInt32, items: [JSONByteScanner.StringSpan])?
    {
        if s.consumeNull() { return nil }
        s.skipWhitespace()
        guard s.peek == UInt8(ascii: "[") else { throw s.fail("\(key) must be a list of strings, found \(kind(s))") }
        let start = UInt32(truncatingIfNeeded: s.position)
        s.position += 1
        var items: [JSONByteScanner.StringSpan] = []
        s.skipWhitespace()
        if s.peek == UInt8(ascii: "]") {
            s.position += 1
            return (start, items)
        }
        while true {
            let item = try typed(&s, "each entry of \(key)")
            if keep { items.append(item) }
            s.skipWhitespace()
            if s.peek == UInt8(ascii: ","), !s.atEnd {
                s.position += 1
                continue
            }
            try s.expect(UInt8(ascii: "]"), "',' or ']'")
            return (start, items)
        }
    }

    /// An object of strings (`nil` for null): where it starts (its `{`) and, with `keep`, its pairs.
    func stringMap(
        _ s: inout JSONByteScanner, _ key: String, keep: Bool
    ) throws(JSONByteScanner.Failure)
        -> (start: UInt32, pairs: [(JSONByteScanner.StringSpan, JSONByteScanner.StringSpan)])?
    {
        if s.consumeNull() { return nil }
        s.skipWhitespace()
        guard s.peek == UInt8(ascii: "{") else { throw s.fail("\(key) must be an object of strings, found \(kind(s))") }
        let start = UInt32(truncatingIfNeeded: s.position)
        s.position += 1
        var pairs: [(JSONByteScanner.StringSpan, JSONByteScanner.StringSpan)] = []
        s.skipWhitespace()
        if s.peek == UInt8(ascii: "}") {
            s.position += 1
            return (start, pairs)
        }
        while true {
            let name = try s.string()
            try s.expect(UInt8(ascii: ":"), "':' after the key")
            let value = try typed(&s, "\(key).\(s.text(name))")
            if keep { pairs.append((name, value)) }
            s.skipWhitespace()
            if s.peek == UInt8(ascii: ","), !s.atEnd {
                s.position += 1
                continue
            }
            try s.expect(UInt8(ascii: "}"), "',' or '}'")
            return (start, pairs)
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

/// The values of an enumerated field with their names packed into two little-endian words, built
/// once: a value is matched with two loads and a compare per name, and nothing is allocated or
/// retained per line (`allCases` built an array on every line; an array of name arrays was retained
/// on every compare). Every name fits 16 bytes.
struct Choices<T: Sendable>: Sendable {
    private struct Name: Sendable {
        var length: Int
        var low: UInt64
        var high: UInt64
        var value: T
    }

    private let names: [Name]
    /// The names for messages: `open, closed, filtered`.
    let list: String

    init(_ cases: [T], name: (T) -> String) {
        names = cases.map { value in
            let bytes = Array(name(value).utf8)
            precondition(bytes.count <= 16, "an enumerated name longer than 16 bytes")
            let (low, high) = Self.pack(bytes.count) { bytes[$0] }
            return Name(length: bytes.count, low: low, high: high, value: value)
        }
        list = cases.map(name).joined(separator: ", ")
    }

    /// The value named by the bytes of `span` (not escaped), or `nil` when no name is those bytes.
    @inline(__always)
    func value(of span: JSONByteScanner.StringSpan, in s: JSONByteScanner) -> T? {
        let length = span.count
        guard length <= 16 else { return nil }
        let low: UInt64
        let high: UInt64
        if span.start + 16 <= s.bytes.count {
            low = s.bytes.loadUnaligned(fromByteOffset: span.start, as: UInt64.self) & PackedBytes.mask(length)
            high = s.bytes.loadUnaligned(fromByteOffset: span.start + 8, as: UInt64.self) & PackedBytes.mask(length - 8)
        } else {
            (low, high) = Self.pack(length) { s.bytes[span.start + $0] }
        }
        for name in names where name.length == length && name.low == low && name.high == high { return name.value }
        return nil
    }

    /// Bytes `0..<count` (`count` ≤ 16) as two little-endian words.
    private static func pack(_ count: Int, _ byte: (Int) -> UInt8) -> (UInt64, UInt64) {
        (PackedBytes.word(0, of: count, byte), PackedBytes.word(1, of: count, byte))
    }
}

/// The enumerated fields of an observation line.
private enum LineChoices {
    static let states = Choices(PortState.allCases, name: \.rawValue)
    static let transports = Choices(Transport.allCases, name: \.rawValue)
    static let sources = Choices(ObservationSource.allCases, name: \.rawValue)
    static let bindScopes = Choices(BindScope.allCases, name: \.rawValue)
}
