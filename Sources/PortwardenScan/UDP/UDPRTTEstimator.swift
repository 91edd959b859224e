import PortwardenCore

/// One host's round-trip estimate and timeout, RFC 6298 in microseconds as nmap's
/// `adjust_timeouts2` (docs/scanning.md). Only UDP replies feed it: ICMP errors are rate limited
/// and must never shrink the timeout.
struct UDPRTTEstimator: Equatable {
    private(set) var srtt: Int64?
    private(set) var rttvar: Int64 = 0
    private(set) var timeout: Int64
    let minTimeout: Int64
    let maxTimeout: Int64

    /// Starts with the configured initial timeout, clamped to the bounds.
    init(initial: Int64, minTimeout: Int64, maxTimeout: Int64) {
        self.minTimeout = minTimeout
        self.maxTimeout = maxTimeout
        timeout = min(max(initial, minTimeout), maxTimeout)
    }

    /// Adds one RTT sample (microseconds); implausible samples are ignored.
    mutating func sample(_ delta: Int64) {
        guard delta >= 0, delta < 8_000_000 else { return }
        if let current = srtt {
            let deviation = delta - current
            if deviation > 1_500_000, deviation > 3 * current + 2 * rttvar { return }
            let updated = current + deviation / 8
            srtt = updated
            rttvar += (abs(delta - updated) - rttvar) / 4
        } else {
            srtt = delta
            rttvar = min(max(delta, 5_000), 2_000_000)
        }
        if rttvar > 2_300_000 { rttvar = 2_000_000 }
        timeout = min(max((srtt ?? delta) + 4 * rttvar, minTimeout), maxTimeout)
    }

    /// The report form, once there is a sample.
    var timing: UDPHostTiming? {
        guard let srtt else { return nil }
        return UDPHostTiming(srtt: Int(srtt), rttvar: Int(rttvar), timeout: Int(timeout))
    }
}

extension Duration {
    /// Whole microseconds (negative durations give negative values).
    var udpMicroseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
