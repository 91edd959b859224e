/// A strict JSON parser over bytes (RFC 8259) that keeps the offset of every value, bounds its
/// nesting depth and reports the first syntax error with its offset instead of crashing.
public struct JSONParser {
    /// Why the input is not JSON, and where.
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { message }
    }

    /// Nesting deeper than this is refused (nft output needs about 12 levels).
    public static let maximumDepth = 256

    private let bytes: [UInt8]
    private var index = 0

    /// Parses one JSON document; trailing whitespace is allowed, anything else is an error.
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected data after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ message: String) -> SyntaxError { SyntaxError(offset: index, message: message) }

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
        {
            index += 1
        }
    }

    private mutating func value(depth: Int) throws(SyntaxError) -> JSONNode {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of input") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string(), offset: start)
        case UInt8(ascii: "t"): try literal("true"); return .bool(true, offset: start)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false, offset: start)
        case UInt8(ascii: "n"): try literal("null"); return .null(offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character '\(Self.printable(bytes[index]))'")
        }
    }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let matched = word.withUTF8Buffer { text in
            index + text.count <= bytes.count && bytes[index..<(index + text.count)].elementsEqual(text)
        }
        guard matched else { throw error("invalid literal") }
        index += word.utf8CodeUnitCount
    }

    private mutating func object(depth: Int) throws(SyntaxError) -> JSONNode {
        let start = index
        index += 1
        var members: [(key: String, value: JSONNode)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members, offset: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
            index += 1
            return .object(members, offset: start)
        }
    }

    private mutating func array(depth: Int) throws(SyntaxError) -> JSONNode {
        let start = index
        index += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items, offset: start)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
            index += 1
            return .array(items, offset: start)
        }
    }

    private mutating func number() throws(SyntaxError) -> JSONNode {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits() -> Int {
            let from = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - from
        }
        guard digits() > 0 else { throw error("invalid number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("invalid number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { throw error("invalid number") }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self), offset: start)
    }

    private mutating func string() throws(SyntaxError) -> String {
        index += 1
        // Most strings (every key, most values) have no escape: they are decoded from the input in place.
        let start = index
        var plain = index
        var ascii = true
        while plain < bytes.count, bytes[plain] != UInt8(ascii: "\""), bytes[plain] != UInt8(ascii: "\\"),
            bytes[plain] >= 0x20
        {
            if bytes[plain] >= 0x80 { ascii = false }
            plain += 1
        }
        if plain < bytes.count, bytes[plain] == UInt8(ascii: "\"") {
            index = plain + 1
            if ascii { return String(decoding: bytes[start..<plain], as: UTF8.self) }
            guard let text = String(validating: bytes[start..<plain], as: UTF8.self) else {
                throw error("string is not valid UTF-8")
            }
            return text
        }
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw error("string is not valid UTF-8")
                }
                return text
            }
            if byte < 0x20 { throw error("control character in a string") }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): try unicodeEscape(into: &out)
                default: throw error("invalid escape in a string")
                }
                index += 1
                continue
            }
            out.append(byte)
            index += 1
        }
        throw error("unterminated string")
    }

    /// Reads `\uXXXX` (with a following low surrogate when needed); leaves `index` on the last hex digit.
    private mutating func unicodeEscape(into out: inout [UInt8]) throws(SyntaxError) {
        func hex4(at position: Int) -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[position..<(position + 4)] {
                guard let digit = hexValue(byte) else { return nil }
                value = value << 4 | digit
            }
            return value
        }
        guard var scalar = hex4(at: index + 1) else { throw error("invalid \\u escape") }
        index += 4
        if scalar >= 0xD800, scalar < 0xDC00 {
            guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"),
                bytes[index + 2] == UInt8(ascii: "u"),
                let low = hex4(at: index + 3), low >= 0xDC00, low < 0xE000
            else { throw error("unpaired surrogate in a \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            index += 6
        } else if scalar >= 0xDC00, scalar < 0xE000 {
            throw error("unpaired surrogate in a \\u escape")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
        out.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x41...0x46: return UInt32(byte - 0x41 + 10)
        case 0x61...0x66: return UInt32(byte - 0x61 + 10)
        default: return nil
        }
    }
}
