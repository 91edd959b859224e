import PortwardenCore

extension XMLTokenizer {
    /// Decodes the predefined entities (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`) and character
    /// references (`&#45;`, `&#x2D;`) in `raw`. Attribute values also get XML's whitespace
    /// normalisation (a literal tab, CR or LF becomes a space; an encoded one stays).
    /// - Throws: ``XMLSyntaxError`` with the location of a bad or unknown entity.
    static func decode(
        _ raw: ArraySlice<UInt8>, at start: XMLLocation, normalizingWhitespace: Bool
    )
        throws(XMLSyntaxError) -> String
    {
        let ampersand = UInt8(ascii: "&")
        let needsWork =
            raw.contains(ampersand)
            || (normalizingWhitespace && raw.contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        guard needsWork else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let byte = raw[i]
            if byte != ampersand {
                out.append(normalizingWhitespace && (byte == 0x09 || byte == 0x0A || byte == 0x0D) ? 0x20 : byte)
                i += 1
                continue
            }
            guard let semicolon = raw[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw XMLSyntaxError(
                    code: .malformed, location: location(of: i, in: raw, from: start),
                    message: "\"&\" does not start an entity; write it as &amp;")
            }
            let name = raw[(i + 1)..<semicolon]
            guard let scalar = entityScalar(name) else {
                let text = String(decoding: name, as: UTF8.self)
                throw XMLSyntaxError(
                    code: .malformed, location: location(of: i, in: raw, from: start),
                    message: "unknown or invalid entity &\(text);")
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func entityScalar(_ name: ArraySlice<UInt8>) -> Unicode.Scalar? {
        switch String(decoding: name, as: UTF8.self) {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        guard name.first == UInt8(ascii: "#") else { return nil }
        var digits = name.dropFirst()
        var radix: UInt32 = 10
        if digits.first == UInt8(ascii: "x") {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        var value: UInt32 = 0
        for digit in digits {
            guard let v = hexDigit(digit), v < radix else { return nil }
            value = value &* radix &+ v
        }
        // XML 1.0 forbids NUL and other C0 controls except tab, LF and CR even as references.
        guard value >= 0x20 || value == 0x09 || value == 0x0A || value == 0x0D else { return nil }
        return Unicode.Scalar(value)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The location of `target` inside `raw`, which begins at `start`.
    private static func location(of target: Int, in raw: ArraySlice<UInt8>, from start: XMLLocation) -> XMLLocation {
        var location = start
        for byte in raw[raw.startIndex..<target] {
            if byte == UInt8(ascii: "\n") {
                location.line += 1
                location.column = 1
            } else {
                location.column += 1
            }
        }
        return location
    }
}
