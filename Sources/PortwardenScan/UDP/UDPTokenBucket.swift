import PortwardenCore

/// A token bucket on the monotonic clock (nanoseconds): `rate` tokens per second, at most `burst`
/// stored. Used for the global `maxRate` and, one per host, for `perHostRate`.
struct UDPTokenBucket: Equatable {
    let rate: Int
    let burst: Int
    private var tokens: Double
    private var last: UInt64

    /// A full bucket at time `now`. The burst defaults to rate/100 (at least 1) (docs/scanning.md).
    init(rate: Int, burst: Int? = nil, now: UInt64) {
        self.rate = max(1, rate)
        self.burst = max(1, burst ?? self.rate / 100)
        tokens = Double(self.burst)
        last = now
    }

    private mutating func refill(_ now: UInt64) {
        guard now > last else { return }
        tokens = min(Double(burst), tokens + Double(now - last) * Double(rate) / 1e9)
        last = now
    }

    /// Takes one token if there is one.
    mutating func take(now: UInt64) -> Bool {
        refill(now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Nanoseconds until a token is available (0 when one is).
    mutating func wait(now: UInt64) -> UInt64 {
        refill(now)
        if tokens >= 1 { return 0 }
        return UInt64(((1 - tokens) * 1e9 / Double(rate)).rounded(.up))
    }
}
