/// SplitMix64: a small, seedable, non-cryptographic generator. The same seed gives the same sequence,
/// so that a scan's probe order can be repeated or sharded and a randomised test replays exactly. One
/// generator for the whole project; nothing that needs unpredictability may use it.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` by remainder (slightly biased for bounds that are not powers of two; for
    /// test inputs and benchmarks only).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// A seeded Fisher–Yates shuffle of `values`.
    public mutating func shuffled<T>(_ values: [T]) -> [T] {
        var copy = values
        copy.shuffle(using: &self)
        return copy
    }
}
