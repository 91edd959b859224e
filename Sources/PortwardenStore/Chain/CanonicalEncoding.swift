/// The byte encoding that the audit chain hashes: fixed-width big-endian integers, length-prefixed text and
/// blobs, a type tag before every value. One encoding, so that SQLite and PostgreSQL rows of the same
/// content hash the same.
public enum CanonicalEncoding {
    /// Appends a row's values (`id` first) to `out`.
    public static func encodeRow(_ values: [SQLValue], into out: inout [UInt8]) {
        appendInteger(UInt64(values.count), width: 2, into: &out)
        for value in values { encodeValue(value, into: &out) }
    }

    /// A row's values as canonical bytes.
    public static func row(_ values: [SQLValue]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + values.count * 9)
        encodeRow(values, into: &out)
        return out
    }

    /// Appends a row of borrowed values (`id` first) to `out`: the same bytes as `encodeRow` gives for
    /// the row `SQLSession.forEach` reads, except that text that is not UTF-8 keeps its bytes instead of
    /// being repaired, so it can never encode like the text that was recorded.
    static func encodeRow(_ values: [SQLRawValue], into out: inout [UInt8]) {
        appendInteger(UInt64(values.count), width: 2, into: &out)
        for value in values {
            out.append(value.kind.rawValue)
            switch value.kind {
            case .null: break
            case .integer, .real:
                withUnsafeBytes(of: value.bits.bigEndian) { out.append(contentsOf: $0) }
            case .text, .blob:
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: value.bytes.count).bigEndian) {
                    out.append(contentsOf: $0)
                }
                out.append(contentsOf: value.bytes)
            }
        }
    }

    static func encodeValue(_ value: SQLValue, into out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(0)
        case .integer(let number):
            out.append(1)
            appendInteger(UInt64(bitPattern: number), width: 8, into: &out)
        case .real(let number):
            out.append(2)
            appendInteger(number.bitPattern, width: 8, into: &out)
        case .text(let text):
            out.append(3)
            let bytes = text.utf8
            appendInteger(UInt64(bytes.count), width: 4, into: &out)
            out.append(contentsOf: bytes)
        case .blob(let bytes):
            out.append(4)
            appendInteger(UInt64(bytes.count), width: 4, into: &out)
            out.append(contentsOf: bytes)
        }
    }

    /// Decodes a canonical row; nil when the bytes are not one.
    public static func decodeRow(_ bytes: [UInt8]) -> [SQLValue]? {
        var reader = ByteReader(bytes: bytes)
        guard let count = reader.integer(width: 2) else { return nil }
        var values: [SQLValue] = []
        for _ in 0..<count {
            guard let tag = reader.byte() else { return nil }
            switch tag {
            case 0: values.append(.null)
            case 1:
                guard let number = reader.integer(width: 8) else { return nil }
                values.append(.integer(Int64(bitPattern: number)))
            case 2:
                guard let bits = reader.integer(width: 8) else { return nil }
                values.append(.real(Double(bitPattern: bits)))
            case 3, 4:
                guard let length = reader.integer(width: 4), let data = reader.bytes(Int(length)) else { return nil }
                values.append(tag == 3 ? .text(String(decoding: data, as: UTF8.self)) : .blob(data))
            default: return nil
            }
        }
        return reader.atEnd ? values : nil
    }

    static func appendInteger(_ value: UInt64, width: Int, into out: inout [UInt8]) {
        // The low `width` bytes, most significant first: the tail of the big-endian 8-byte form.
        withUnsafeBytes(of: value.bigEndian) { bytes in out.append(contentsOf: bytes[(8 - width)...]) }
    }
}

/// Reads big-endian fields from bytes, returning nil past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func integer(width: Int) -> UInt64? {
        guard offset + width <= bytes.count else { return nil }
        var value: UInt64 = 0
        for index in offset..<(offset + width) { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
