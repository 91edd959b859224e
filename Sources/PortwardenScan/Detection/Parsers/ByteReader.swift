import PortwardenCore

/// A bounds-checked cursor over received bytes: every read returns `nil` instead of trapping when
/// the input is shorter than the protocol says.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: some Collection<UInt8>) { self.bytes = Array(bytes) }

    /// Bytes not yet read.
    var remaining: Int { bytes.count - offset }

    mutating func uint8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func uint16LE() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset + 1]) << 8 | UInt16(bytes[offset])
    }

    mutating func uint32() -> UInt32? {
        guard let high = uint16(), let low = uint16() else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func uint32LE() -> UInt32? {
        guard let low = uint16LE(), let high = uint16LE() else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    /// A big-endian two's-complement 32-bit integer (jute's `int`).
    mutating func int32() -> Int32? { uint32().map { Int32(bitPattern: $0) } }

    /// A big-endian two's-complement 64-bit integer (jute's `long`).
    mutating func int64() -> Int64? {
        guard remaining >= 8, let high = uint32(), let low = uint32() else { return nil }
        return Int64(bitPattern: UInt64(high) << 32 | UInt64(low))
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Reads up to (not including) a zero byte and skips it; `nil` when there is no terminator.
    mutating func nullTerminated() -> [UInt8]? {
        guard let end = bytes[offset...].firstIndex(of: 0) else { return nil }
        defer { offset = end + 1 }
        return Array(bytes[offset..<end])
    }
}
