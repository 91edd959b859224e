import PortwardenCore

/// The knobs of a connect scan: how many probes may be in flight, how fast they may be sent, and
/// how long the engine waits for an answer.
///
/// Rate (`maxRate`, probes per second) and parallelism (`maxInFlight`, the window) are separate
/// caps; the CLI prints both with their effective values.
public struct ScanConfiguration: Sendable, Hashable {
    /// The most probes in flight at once (the window). The engine also caps it by the open-file
    /// limit minus a reserve of 64 descriptors.
    public var maxInFlight: Int = 4096
    /// The highest in-flight cap of one host. Each host starts at ``initialInFlightPerHost`` and
    /// grows towards this while it answers with a stable round trip (docs/scanning.md); silence
    /// never shrinks it, loss halves it.
    public var maxInFlightPerHost: Int = 4096
    /// The in-flight cap a host starts with, so one tarpit or slow host cannot eat the window.
    public var initialInFlightPerHost: Int = 1024
    /// The most probes sent per second (token bucket on the monotonic clock); `nil` for no cap.
    public var maxRate: Int? = nil
    /// The most probes sent per second to any one host (a token bucket per host): the profile's
    /// documented per-host probe-rate ceiling; `nil` for none.
    public var maxRatePerHost: Int? = 50_000
    /// The timeout used before any answer has given an RTT sample.
    public var initialTimeout: Duration = .milliseconds(1000)
    /// The lower clamp of the RTT-derived timeout.
    public var minTimeout: Duration = .milliseconds(100)
    /// The upper clamp of the RTT-derived timeout.
    public var maxTimeout: Duration = .seconds(10)
    /// The most retransmissions of a silent probe (loss-driven: one unless retries have produced
    /// answers on that host).
    public var maxRetries: Int = 10
    /// Abandon a host after this long; its unfinished ports become `filtered`/`host-timeout`.
    public var hostTimeout: Duration? = nil
    /// When a host answering (nearly) every port is flagged as a tarpit and no longer probed;
    /// `nil` turns the detection off.
    public var tarpitRule: TarpitRule? = .default
    /// The key of the probe-order permutation; the same seed gives the same order.
    public var seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    /// The zone the scan runs from, copied into every observation.
    public var vantage: String? = nil

    /// Creates a configuration with the defaults of the `default` profile.
    public init() {}

    /// The adaptive profile (nmap `-T3` timing): initial 1 s, min 100 ms, max 10 s, up to 10
    /// retries, window 4096, at most 50 000 probes per second to one host.
    public static let `default` = ScanConfiguration()

    /// The fast profile: initial 500 ms, min 50 ms, max 1.25 s, at most 2 retries, window 8192,
    /// at most 100 000 probes per second to one host.
    public static let fast: ScanConfiguration = {
        var configuration = ScanConfiguration()
        configuration.maxInFlight = 8192
        configuration.maxInFlightPerHost = 8192
        configuration.maxRatePerHost = 100_000
        configuration.initialTimeout = .milliseconds(500)
        configuration.minTimeout = .milliseconds(50)
        configuration.maxTimeout = .milliseconds(1250)
        configuration.maxRetries = 2
        return configuration
    }()

    /// RustScan's defaults for comparison: window 4500, a fixed 1.5 s timeout, one try.
    public static let rustscanEquivalent: ScanConfiguration = {
        var configuration = ScanConfiguration()
        configuration.maxInFlight = 4500
        configuration.maxInFlightPerHost = 4500
        configuration.initialInFlightPerHost = 4500
        configuration.maxRatePerHost = nil
        configuration.initialTimeout = .milliseconds(1500)
        configuration.minTimeout = .milliseconds(1500)
        configuration.maxTimeout = .milliseconds(1500)
        configuration.maxRetries = 0
        return configuration
    }()

    /// The profile with the given name (`default`, `fast`, `rustscan-equivalent`), or `nil`.
    public static func profile(named name: String) -> ScanConfiguration? {
        switch name {
        case "default": return .default
        case "fast": return .fast
        case "rustscan-equivalent": return .rustscanEquivalent
        default: return nil
        }
    }
}

extension Duration {
    /// The duration in whole microseconds (saturating, never negative).
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        if seconds > Int64.max / 1_000_000 - 1 { return Int64.max }
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
