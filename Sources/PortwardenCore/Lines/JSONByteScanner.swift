/// A JSON tokenizer over one line's bytes that allocates nothing: strings come back as byte ranges
/// (decoded only when a reader needs their text), numbers as integers. Used by the line readers here and,
/// through `package` access, by the log parsers.
package struct JSONByteScanner {
    /// A problem at a byte offset of the line.
    package struct Failure: Error {
        /// 0-based byte offset into the line.
        package var offset: Int
        package var message: String
    }

    /// A string value: the bytes between its quotes, and whether they need decoding. Kept in 10
    /// bytes (32-bit offsets: the scanner reads one line, and the line readers end lines long before
    /// 4 GiB), because a parsed line carries a dozen of them and is copied into each callback.
    package struct StringSpan {
        private var first: UInt32
        private var past: UInt32
        /// Holds a backslash escape.
        package var escaped: Bool
        /// Holds a byte ≥ 0x80 (already checked to be valid UTF-8).
        package var nonASCII: Bool

        init(start: Int, end: Int, escaped: Bool, nonASCII: Bool) {
            first = UInt32(truncatingIfNeeded: start)
            past = UInt32(truncatingIfNeeded: end)
            self.escaped = escaped
            self.nonASCII = nonASCII
        }

        package var start: Int { Int(first) }
        package var end: Int { Int(past) }
        package var count: Int { Int(past &- first) }
    }

    package let bytes: UnsafeRawBufferPointer
    package var position = 0

    /// A scanner over one line; a line longer than 4 GiB is read as its first 4 GiB (the readers
    /// end lines far earlier), so that every offset fits a ``StringSpan``.
    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes =
            bytes.count <= Int(UInt32.max) ? bytes : UnsafeRawBufferPointer(rebasing: bytes[..<Int(UInt32.max)])
    }

    @inline(__always)
    package var atEnd: Bool { position >= bytes.count }

    /// The byte at the position, or 0 at the end.
    @inline(__always)
    package var peek: UInt8 { position < bytes.count ? bytes[position] : 0 }

    @inline(__always)
    package mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0D, 0x0A: position += 1
            default: return
            }
        }
    }

    package func fail(_ message: String, at offset: Int? = nil) -> Failure {
        Failure(offset: offset ?? position, message: message)
    }

    /// What is at the position, for messages (`"x"`, `the end of the line`).
    package var found: String {
        guard position < bytes.count else { return "the end of the line" }
        let byte = bytes[position]
        return byte >= 0x20 && byte < 0x7F
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    @inline(__always)
    package mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipWhitespace()
        guard peek == byte, !atEnd else { throw fail("expected \(what), found \(found)") }
        position += 1
    }

    /// Consumes `null` if it is next.
    @inline(__always)
    package mutating func consumeNull() -> Bool {
        skipWhitespace()
        guard position + 4 <= bytes.count, bytes[position] == 0x6E, bytes[position + 1] == 0x75,
            bytes[position + 2] == 0x6C, bytes[position + 3] == 0x6C
        else { return false }
        position += 4
        return true
    }

    /// Reads a string; the position must be at its opening quote (after whitespace).
    package mutating func string() throws(Failure) -> StringSpan {
        skipWhitespace()
        guard peek == 0x22, !atEnd else { throw fail("expected a string, found \(found)") }
        let start = position + 1
        // The common case, a string without escapes, in a loop that keeps its state in registers
        // (writing `position` on every byte made this the reader's hottest loop).
        var index = start
        var high: UInt8 = 0
        let count = bytes.count
        // Eight bytes at a time while they are plain ASCII (0x20-0x7F) without a quote or a
        // backslash; a word that may hold one of those goes to the byte loop, which decides.
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ 0x2222_2222_2222_2222
            let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
            let stop =
                ((quote &- 0x0101_0101_0101_0101) & ~quote) | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)
                | ((word &- 0x2020_2020_2020_2020) & ~word) | word
            if stop & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count {
            let byte = bytes[index]
            if byte == 0x22 {
                let span = StringSpan(start: start, end: index, escaped: false, nonASCII: high >= 0x80)
                position = index + 1
                if span.nonASCII { try checkUTF8(span) }
                return span
            }
            if byte == 0x5C || byte < 0x20 { break }
            high |= byte
            index += 1
        }
        position = index
        var escaped = false
        var nonASCII = high >= 0x80
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                let span = StringSpan(start: start, end: position, escaped: escaped, nonASCII: nonASCII)
                position += 1
                if nonASCII { try checkUTF8(span) }
                return span
            }
            if byte == 0x5C {
                escaped = true
                try escape()
                continue
            }
            if byte < 0x20 { throw fail("a control character must be escaped inside a string") }
            if byte >= 0x80 { nonASCII = true }
            position += 1
        }
        throw fail("the string starting here is not closed", at: start - 1)
    }

    private mutating func escape() throws(Failure) {
        let at = position
        position += 1
        guard position < bytes.count else { throw fail("unfinished escape", at: at) }
        switch bytes[position] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: position += 1
        case 0x75:
            position += 1
            for _ in 0..<4 {
                guard position < bytes.count, Self.hexValue(bytes[position]) != nil else {
                    throw fail("\\u must be followed by four hex digits", at: at)
                }
                position += 1
            }
        default: throw fail("unknown escape \\\(Character(Unicode.Scalar(bytes[position])))", at: at)
        }
    }

    private func checkUTF8(_ span: StringSpan) throws(Failure) {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[span.start..<span.end])
        if String(validating: slice, as: UTF8.self) == nil {
            throw fail("the string is not valid UTF-8", at: span.start - 1)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x41...0x46: return UInt32(byte - 0x41 + 10)
        case 0x61...0x66: return UInt32(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// Reads an integer (no fraction, no exponent).
    package mutating func integer() throws(Failure) -> Int64 {
        skipWhitespace()
        let start = position
        var negative = false
        if peek == 0x2D {
            negative = true
            position += 1
        }
        var value: Int64 = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            let digit = Int64(bytes[position] - 0x30)
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { throw fail("the number is too large", at: start) }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else {
            position = start
            throw fail("expected a number, found \(found)")
        }
        if peek == 0x2E || peek == 0x65 || peek == 0x45 { throw fail("expected a whole number", at: start) }
        return negative ? -value : value
    }

    /// Skips any JSON value (for keys a reader does not know), nested up to 64 levels.
    package mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < 64 else { throw fail("values are nested too deeply") }
        skipWhitespace()
        switch peek {
        case 0x22: _ = try string()
        case 0x7B, 0x5B:
            let close: UInt8 = peek == 0x7B ? 0x7D : 0x5D
            let isObject = close == 0x7D
            position += 1
            skipWhitespace()
            if peek == close {
                position += 1
                return
            }
            while true {
                if isObject {
                    _ = try string()
                    try expect(0x3A, "':' after the key")
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if peek == 0x2C, !atEnd {
                    position += 1
                    continue
                }
                try expect(close, isObject ? "',' or '}'" : "',' or ']'")
                return
            }
        default: try skipScalar()
        }
    }

    /// Skips a number, `true`, `false` or `null` at the position (after whitespace).
    package mutating func skipScalar() throws(Failure) {
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case 0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0D, 0x0A: break
            default:
                position += 1
                continue
            }
            break
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        if Self.isLiteral(slice) || Self.isNumber(slice) { return }
        position = start
        throw fail("expected a value, found \(found)")
    }

    private static func isLiteral(_ slice: UnsafeRawBufferPointer) -> Bool {
        slice.elementsEqual("true".utf8) || slice.elementsEqual("false".utf8) || slice.elementsEqual("null".utf8)
    }

    private static func isNumber(_ slice: UnsafeRawBufferPointer) -> Bool {
        guard !slice.isEmpty else { return false }
        var sawDigit = false
        for (index, byte) in slice.enumerated() {
            switch byte {
            case 0x30...0x39: sawDigit = true
            case 0x2D where index == 0: continue
            case 0x2B, 0x2D, 0x2E, 0x65, 0x45: continue
            default: return false
            }
        }
        return sawDigit
    }

    /// Whether the bytes of `span` are exactly `literal` (ASCII, unescaped).
    @inline(__always)
    package func equals(_ span: StringSpan, _ literal: StaticString) -> Bool {
        guard span.count == literal.utf8CodeUnitCount, !span.escaped else { return false }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: span.count)
        for offset in 0..<span.count where bytes[span.start + offset] != expected[offset] { return false }
        return true
    }

    /// The text of a string value, with escapes decoded.
    package func text(_ span: StringSpan) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[span.start..<span.end])
        guard span.escaped else { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    private static func unescape(_ raw: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        var pendingHigh: UInt32? = nil
        while index < raw.count {
            let byte = raw[index]
            guard byte == 0x5C, index + 1 < raw.count else {
                out.append(byte)
                index += 1
                continue
            }
            let kind = raw[index + 1]
            index += 2
            if kind == 0x75, index + 4 <= raw.count {
                var value: UInt32 = 0
                for k in 0..<4 { value = value << 4 | (hexValue(raw[index + k]) ?? 0) }
                index += 4
                if (0xD800...0xDBFF).contains(value) {
                    pendingHigh = value
                    continue
                }
                if let high = pendingHigh, (0xDC00...0xDFFF).contains(value) {
                    value = 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)
                }
                pendingHigh = nil
                let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(scalar).utf8))
                continue
            }
            let decoded: UInt8
            switch kind {
            case 0x62: decoded = 0x08
            case 0x66: decoded = 0x0C
            case 0x6E: decoded = 0x0A
            case 0x72: decoded = 0x0D
            case 0x74: decoded = 0x09
            default: decoded = kind
            }
            out.append(decoded)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
