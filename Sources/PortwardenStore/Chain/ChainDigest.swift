import Crypto

/// A record's SHA-256 held inline, so that following the chain keeps no heap buffer per record. A stored
/// hash that is not 32 bytes long becomes an invalid digest, which matches nothing.
struct ChainDigest {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private(set) var isValid: Bool

    /// 32 zero bytes: the first record's predecessor.
    static let genesis = ChainDigest(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
        self.isValid = true
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else {
            isValid = false
            return
        }
        words = (
            bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        )
        isValid = true
    }

    init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { ChainDigest($0) }
    }

    /// True when both are 32-byte values with the same bytes.
    func matches(_ other: ChainDigest) -> Bool {
        isValid && other.isValid && words.0 == other.words.0 && words.1 == other.words.1
            && words.2 == other.words.2 && words.3 == other.words.3
    }

    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool { matches(ChainDigest(bytes)) }

    /// The 32 bytes (empty for an invalid digest).
    var bytes: [UInt8] {
        guard isValid else { return [] }
        return withUnsafeBytes(of: words) { Array($0) }
    }

    /// SHA-256 over the previous hash and a record's fields (the layout in docs/store.md), from borrowed
    /// bytes: the header is built on the stack and nothing is copied.
    static func record(
        seq: Int64, time: Int64, action: Int64, table: Int64, rowID: Int64, payload: UnsafeRawBufferPointer,
        previousHash: UnsafeRawBufferPointer
    ) -> ChainDigest {
        var hasher = SHA256()
        hasher.update(bufferPointer: previousHash)
        // seq:8 ‖ time:8 ‖ action:1 ‖ table_code:2 ‖ row_id:8 ‖ len(payload):4, big-endian.
        var header: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &header) { out in
            out.storeBytes(of: UInt64(bitPattern: seq).bigEndian, toByteOffset: 0, as: UInt64.self)
            out.storeBytes(of: UInt64(bitPattern: time).bigEndian, toByteOffset: 8, as: UInt64.self)
            out.storeBytes(of: UInt8(truncatingIfNeeded: action), toByteOffset: 16, as: UInt8.self)
            out.storeBytes(of: UInt16(truncatingIfNeeded: table).bigEndian, toByteOffset: 17, as: UInt16.self)
            out.storeBytes(of: UInt64(bitPattern: rowID).bigEndian, toByteOffset: 19, as: UInt64.self)
            out.storeBytes(of: UInt32(truncatingIfNeeded: payload.count).bigEndian, toByteOffset: 27, as: UInt32.self)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: out[0..<31]))
        }
        hasher.update(bufferPointer: payload)
        return hasher.finalize().withUnsafeBytes { ChainDigest($0) }
    }
}
