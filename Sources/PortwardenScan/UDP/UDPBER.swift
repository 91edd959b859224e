import PortwardenCore

/// A minimal ASN.1 BER encoder and reader (X.690), enough for SNMP requests and for checking the
/// shape of SNMP replies. The reader never traps on malformed input: every read is bounds-checked.
enum UDPBER {
    static let integerTag: UInt8 = 0x02
    static let octetStringTag: UInt8 = 0x04
    static let nullTag: UInt8 = 0x05
    static let oidTag: UInt8 = 0x06
    static let sequenceTag: UInt8 = 0x30

    /// A tag-length-value with a definite length (short form below 128, long form above).
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    /// The definite-length octets for `count`.
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var octets: [UInt8] = []
        var rest = count
        while rest > 0 {
            octets.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(octets.count)] + octets
    }

    /// A two's-complement INTEGER in the fewest octets.
    static func integer(_ value: Int) -> [UInt8] {
        var octets: [UInt8] = []
        var rest = value
        repeat {
            octets.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        } while !(rest == 0 && octets[0] & 0x80 == 0) && !(rest == -1 && octets[0] & 0x80 != 0)
        return tlv(integerTag, octets)
    }

    static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(octetStringTag, bytes) }
    static func sequence(_ parts: [UInt8]...) -> [UInt8] { tlv(sequenceTag, parts.flatMap { $0 }) }
    static let null: [UInt8] = [nullTag, 0]

    /// An OBJECT IDENTIFIER: the first two arcs in one octet, then base-128 arcs.
    static func oid(_ arcs: [UInt32]) -> [UInt8] { tlv(oidTag, oidContent(arcs)) }

    /// The content octets of an OBJECT IDENTIFIER, to compare with an element read from a reply.
    static func oidContent(_ arcs: [UInt32]) -> [UInt8] {
        guard arcs.count >= 2 else { return [] }
        var content: [UInt8] = []
        for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7F)]
            var rest = arc >> 7
            while rest > 0 {
                chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
                rest >>= 7
            }
            content += chunk
        }
        return content
    }

    /// One element read from bytes: its tag and the range of its content.
    struct Element: Equatable {
        var tag: UInt8
        var content: Range<Int>
        var end: Int { content.upperBound }
    }

    /// Reads the element at `offset` within `limit`; `nil` when it is truncated or uses the
    /// indefinite form.
    static func read(_ bytes: [UInt8], at offset: Int, limit: Int? = nil) -> Element? {
        let limit = min(limit ?? bytes.count, bytes.count)
        guard offset >= 0, offset + 2 <= limit else { return nil }
        let tag = bytes[offset]
        var index = offset + 1
        var count = Int(bytes[index])
        index += 1
        if count & 0x80 != 0 {
            let octets = count & 0x7F
            guard octets >= 1, octets <= 4, index + octets <= limit else { return nil }
            count = 0
            for _ in 0..<octets {
                count = count << 8 | Int(bytes[index])
                index += 1
            }
        }
        guard count <= limit - index else { return nil }
        return Element(tag: tag, content: index..<(index + count))
    }

    /// The value of an INTEGER element (up to 8 octets), or `nil`.
    static func integerValue(_ bytes: [UInt8], _ element: Element) -> Int? {
        guard element.tag == integerTag, !element.content.isEmpty, element.content.count <= 8 else { return nil }
        var value = bytes[element.content.lowerBound] & 0x80 != 0 ? -1 : 0
        for index in element.content { value = value << 8 | Int(bytes[index]) }
        return value
    }
}
