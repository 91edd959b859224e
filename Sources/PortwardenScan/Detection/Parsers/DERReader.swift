/// A bounds-checked reader of DER (ITU-T X.690) tag-length-value elements: every read returns
/// `nil` instead of trapping when the input is shorter than its lengths claim.
struct DERReader {
    /// One element: its tag byte and its content bytes.
    struct Element: Equatable {
        let tag: UInt8
        let content: [UInt8]
    }

    private var reader: ByteReader

    init(_ bytes: some Collection<UInt8>) { reader = ByteReader(bytes) }

    /// Whether any bytes are left.
    var isEmpty: Bool { reader.remaining == 0 }

    /// Reads the next element (definite lengths of at most four bytes only, as DER requires).
    mutating func next() -> Element? {
        guard let tag = reader.uint8(), let first = reader.uint8() else { return nil }
        var length = Int(first)
        if first & 0x80 != 0 {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4 else { return nil }
            length = 0
            for _ in 0..<count {
                guard let byte = reader.uint8() else { return nil }
                length = length << 8 | Int(byte)
            }
        }
        guard let content = reader.bytes(length) else { return nil }
        return Element(tag: tag, content: content)
    }

    /// Reads the next element if it has `tag`.
    mutating func next(tag: UInt8) -> Element? {
        var copy = self
        guard let element = copy.next(), element.tag == tag else { return nil }
        self = copy
        return element
    }

    /// An OBJECT IDENTIFIER's content in dotted form (`1.2.840.113549.1.1.1`); `nil` when malformed.
    static func objectIdentifier(_ content: [UInt8]) -> String? {
        guard let first = content.first, content.count <= 64 else { return nil }
        var parts = [first < 80 ? Int(first / 40) : 2, first < 80 ? Int(first % 40) : Int(first) - 80]
        var value = 0
        for byte in content.dropFirst() {
            guard value < 1 << 48 else { return nil }
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 {
                parts.append(value)
                value = 0
            }
        }
        guard content.last.map({ $0 & 0x80 == 0 }) ?? false else { return nil }
        return parts.map(String.init).joined(separator: ".")
    }
}
