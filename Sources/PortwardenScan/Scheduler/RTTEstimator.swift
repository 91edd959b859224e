import PortwardenCore

/// RFC 6298 round-trip estimator in microseconds, as nmap's `adjust_timeouts2` computes it.
///
/// Samples come from SYN-ACK and RST only; ICMP answers are rate limited and must not shrink the
/// timeout.
struct RTTEstimator: Sendable, Hashable {
    /// The smoothed RTT, or -1 before the first sample.
    private(set) var srtt: Int64 = -1
    /// The RTT variance (meaningful once `samples > 0`).
    private(set) var rttvar: Int64 = 0
    /// The probe timeout now in force.
    private(set) var timeout: Int64
    /// The number of samples accepted.
    private(set) var samples = 0
    let minTimeout: Int64
    let maxTimeout: Int64

    init(initial: Int64, minimum: Int64, maximum: Int64) {
        minTimeout = minimum
        maxTimeout = Swift.max(minimum, maximum)
        timeout = Swift.min(Swift.max(initial, minTimeout), maxTimeout)
    }

    /// Adds one round-trip sample (microseconds).
    /// - Returns: whether the sample was accepted.
    @discardableResult
    mutating func add(sample delta: Int64) -> Bool {
        if samples == 0 {
            guard delta >= 0, delta < 8_000_000 else { return false }
            srtt = delta
            rttvar = Swift.min(Swift.max(delta, 5_000), 2_000_000)
        } else {
            guard delta >= 0, delta < 8_000_000 else { return false }
            let difference = delta - srtt
            if difference > 1_500_000, difference > 3 * srtt + 2 * rttvar { return false }
            srtt += difference / 8
            rttvar += (Swift.abs(difference) - rttvar) / 4
        }
        samples += 1
        if rttvar > 2_300_000 { rttvar = 2_000_000 }
        timeout = Swift.min(Swift.max(srtt + 4 * rttvar, minTimeout), maxTimeout)
        return true
    }

    /// The report form of this estimator for `host` (nmap XML `times`); `timeout` overrides the
    /// estimator's own (a scheduler falls back to its global estimator before a host's first sample).
    func timing(of host: IPAddress, timeout override: Int64? = nil) -> HostTiming {
        let sampled = samples > 0
        return HostTiming(
            host: host, srtt: sampled ? .microseconds(srtt) : nil, rttvar: sampled ? .microseconds(rttvar) : nil,
            timeout: .microseconds(override ?? timeout), samples: samples)
    }
}
