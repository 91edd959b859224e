import PortwardenCore

/// A keyed pseudo-random permutation of `0..<count` in O(1) memory: a 4-round balanced Feistel
/// network over the smallest even bit width that covers `count`, with cycle walking to stay
/// inside the domain (the "blackrock" idea of masscan). The same seed gives the same order, so a
/// scan can be resumed or sharded.
struct IndexPermutation: Sendable {
    let count: UInt64
    private let halfBits: UInt64
    private let halfMask: UInt64
    private let keys: (UInt64, UInt64, UInt64, UInt64)

    init(count: UInt64, seed: UInt64) {
        self.count = count
        var bits: UInt64 = 2
        while bits < 64, (UInt64(1) << bits) < count { bits += 2 }
        halfBits = bits / 2
        halfMask = (UInt64(1) << halfBits) - 1
        var generator = SplitMix64(seed: seed)
        keys = (generator.next(), generator.next(), generator.next(), generator.next())
    }

    private func round(_ value: UInt64, _ key: UInt64) -> UInt64 {
        var z = value ^ key
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return (z ^ (z >> 33)) & halfMask
    }

    private func encrypt(_ value: UInt64) -> UInt64 {
        var left = value >> halfBits
        var right = value & halfMask
        for key in [keys.0, keys.1, keys.2, keys.3] {
            let next = left ^ round(right, key)
            left = right
            right = next
        }
        return left << halfBits | right
    }

    /// The element at position `index` (which must be below `count`).
    func map(_ index: UInt64) -> UInt64 {
        var value = encrypt(index)
        while value >= count { value = encrypt(value) }
        return value
    }
}
