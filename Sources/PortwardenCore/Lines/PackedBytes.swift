/// Bytes packed into 64-bit words the way `loadUnaligned(as: UInt64.self)` reads them on the
/// little-endian platforms the project builds for: byte `i` in word `i / 8`, shifted by
/// `8 × (i % 8)`. The line readers compare a field or key with its expected bytes by loading whole
/// words and comparing them with words packed once, through these helpers.
enum PackedBytes {
    /// Word `index` of bytes `0..<count`, each read through `byte`.
    @inline(__always)
    static func word(_ index: Int, of count: Int, _ byte: (Int) -> UInt8) -> UInt64 {
        var word: UInt64 = 0
        var offset = index * 8
        while offset < min(count, index * 8 + 8) {
            word |= UInt64(byte(offset)) << (8 * UInt64(offset % 8))
            offset += 1
        }
        return word
    }

    /// The mask of the low `count` bytes of a word (none for `count` ≤ 0, all for `count` ≥ 8): word
    /// `i` of a `length`-byte value is masked with `mask(length - 8 * i)`.
    @inline(__always)
    static func mask(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : count <= 0 ? 0 : (1 << (8 * UInt64(count))) &- 1
    }
}
