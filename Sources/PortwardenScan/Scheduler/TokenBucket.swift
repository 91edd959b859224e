import PortwardenCore

/// A token bucket on the monotonic clock: `rate` tokens per second, holding at most `burst`.
struct TokenBucket {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: UInt64

    /// - Parameters:
    ///   - rate: tokens per second (at least 1).
    ///   - now: the current monotonic time in nanoseconds.
    init(rate: Int, now: UInt64) {
        self.rate = Double(max(1, rate))
        burst = max(1, min(256, self.rate / 100))
        tokens = 1
        last = now
    }

    /// Takes one token if available.
    mutating func take(now: UInt64) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Nanoseconds until the next token is available (0 when one is).
    mutating func wait(now: UInt64) -> UInt64 {
        refill(now: now)
        if tokens >= 1 { return 0 }
        return UInt64(((1 - tokens) / rate) * 1e9) + 1
    }

    private mutating func refill(now: UInt64) {
        guard now > last else { return }
        tokens = min(burst, tokens + Double(now - last) / 1e9 * rate)
        last = now
    }
}
