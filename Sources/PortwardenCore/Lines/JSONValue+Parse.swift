extension JSONValue {
    /// Why a text is not one JSON value, at the 0-based byte offset where reading stopped.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String

        public init(offset: Int, message: String) {
            self.offset = offset
            self.message = message
        }

        public var description: String { "byte \(offset + 1): \(message)" }
    }

    /// Values nested deeper than this are refused (a hostile line cannot exhaust the stack).
    public static let maximumDepth = 128

    /// Parses one JSON text (RFC 8259), a line of a result or log file, straight from its bytes:
    /// the one reader for the importers and log parsers that need the whole value (osquery result
    /// logs, Zeek JSON), far cheaper than a `Decodable` pass that tries each type in turn. As that
    /// pass reads them: whole numbers that fit 64 bits are `integer` (`1e3` too), every other number
    /// `number`; a key that repeats keeps its first value. Stricter than it in one way: a trailing
    /// comma is refused, as RFC 8259 has it. Whitespace around the value is allowed, anything else
    /// after it is not.
    public static func parse(_ bytes: some Collection<UInt8>) throws(ParseError) -> JSONValue {
        let contiguous = Array(bytes)
        let result = contiguous.withUnsafeBytes { buffer -> Result<JSONValue, JSONByteScanner.Failure> in
            var scanner = JSONByteScanner(buffer)
            return Result { () throws(JSONByteScanner.Failure) -> JSONValue in
                let value = try scanner.value(depth: 0)
                scanner.skipWhitespace()
                guard scanner.atEnd else { throw scanner.fail("unexpected \(scanner.found) after the value") }
                return value
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(let failure): throw ParseError(offset: failure.offset, message: failure.message)
        }
    }
}

extension JSONByteScanner {
    /// The value at the position (after whitespace), read whole.
    fileprivate mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < JSONValue.maximumDepth else { throw fail("values are nested too deeply") }
        skipWhitespace()
        switch peek {
        case 0x22: return .string(text(try string()))
        case 0x7B:
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if peek == 0x7D {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard peek == 0x22 else { throw fail("expected a key in quotes, found \(found)") }
                let key = text(try string())
                try expect(0x3A, "':' after the key")
                let member = try value(depth: depth + 1)
                if members[key] == nil { members[key] = member }
                skipWhitespace()
                if peek == 0x2C, !atEnd {
                    position += 1
                    continue
                }
                try expect(0x7D, "',' or '}'")
                return .object(members)
            }
        case 0x5B:
            position += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if peek == 0x5D {
                position += 1
                return .array(items)
            }
            while true {
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                if peek == 0x2C, !atEnd {
                    position += 1
                    continue
                }
                try expect(0x5D, "',' or ']'")
                return .array(items)
            }
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard position + count <= bytes.count, (0..<count).allSatisfy({ bytes[position + $0] == expected[$0] })
        else { throw fail("expected a value, found \(found)") }
        position += count
        return value
    }

    /// A number as RFC 8259 writes it: `-`, then `0` or digits not starting with 0, then an
    /// optional fraction and exponent.
    private mutating func number() throws(Failure) -> JSONValue {
        let start = position
        func digits() -> Int {
            let first = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            return position - first
        }
        if peek == 0x2D { position += 1 }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0 else {
            position = start
            throw fail("expected a value, found \(found)")
        }
        guard integerDigits == 1 || bytes[integerStart] != 0x30 else {
            throw fail("a number may not start with 0", at: integerStart)
        }
        var whole = true
        if peek == 0x2E {
            whole = false
            position += 1
            guard digits() > 0 else { throw fail("expected digits after the decimal point") }
        }
        if peek == 0x65 || peek == 0x45 {
            whole = false
            position += 1
            if peek == 0x2B || peek == 0x2D { position += 1 }
            guard digits() > 0 else { throw fail("expected digits in the exponent") }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if whole, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else {
            throw fail("the number \(text) is out of range", at: start)
        }
        // A whole value written with a fraction or exponent (7.0, 1e3) is an integer when it fits.
        if double == double.rounded(.towardZero), abs(double) < 9.2e18 { return .integer(Int64(double)) }
        return .number(double)
    }
}
