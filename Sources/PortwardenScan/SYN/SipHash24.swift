import PortwardenCore

/// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash, here the SYN cookie's PRF.
///
/// The key is 128 bits given as two little-endian 64-bit words (`k0` = key bytes 0–7, `k1` =
/// bytes 8–15), as in the reference implementation.
struct SipHash24: Sendable, Hashable {
    let k0: UInt64
    let k1: UInt64

    /// Creates a hasher with the key words `k0` and `k1`.
    init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// Creates a hasher from a 16-byte key; shorter keys are zero-padded, longer ones truncated.
    init(key: [UInt8]) {
        var words: (UInt64, UInt64) = (0, 0)
        for (index, byte) in key.prefix(16).enumerated() {
            if index < 8 {
                words.0 |= UInt64(byte) << (8 * UInt64(index))
            } else {
                words.1 |= UInt64(byte) << (8 * UInt64(index - 8))
            }
        }
        self.init(k0: words.0, k1: words.1)
    }

    /// The 64-bit SipHash-2-4 of `bytes`.
    func hash(_ bytes: some Collection<UInt8>) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ k0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ k1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ k1

        @inline(__always) func round() {
            v0 &+= v1
            v1 = v1.rotatedLeft(13) ^ v0
            v0 = v0.rotatedLeft(32)
            v2 &+= v3
            v3 = v3.rotatedLeft(16) ^ v2
            v0 &+= v3
            v3 = v3.rotatedLeft(21) ^ v0
            v2 &+= v1
            v1 = v1.rotatedLeft(17) ^ v2
            v2 = v2.rotatedLeft(32)
        }

        var word: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            word |= UInt64(byte) << shift
            shift += 8
            if shift == 64 {
                v3 ^= word
                round()
                round()
                v0 ^= word
                word = 0
                shift = 0
            }
        }
        let last = word | (UInt64(truncatingIfNeeded: bytes.count) << 56)
        v3 ^= last
        round()
        round()
        v0 ^= last
        v2 ^= 0xff
        round()
        round()
        round()
        round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}

extension UInt64 {
    /// The value rotated left by `count` bits (0 < count < 64).
    @inline(__always) fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
