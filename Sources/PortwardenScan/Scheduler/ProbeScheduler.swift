import PortwardenCore

/// The scheduling core every transport drives (docs/scanning.md): which probe to send next and
/// when, from events the transport reports — a probe was sent, answered, silent, hit local
/// pressure, or its deadline passed — and the current monotonic time `now` (nanoseconds).
///
/// It makes no system call: it owns the keyed permutation of the (host × port) space, the global
/// window and the adaptive per-host caps, the deadline heap, loss-driven retries, one RFC 6298
/// estimator per host (``RTTEstimator``) with a global fallback, one token bucket for the global
/// rate and one per host (``TokenBucket``), the host timeout, tarpit detection and the outcome
/// byte of every probe. Transports own sockets and reply parsing; outcome bytes are their reason
/// codes (non-zero), and the scheduler's own conclusions use the codes given in ``Codes``.
///
/// Per probe it keeps one byte of outcome, one byte of tries and four bytes of finish time;
/// probes in flight (at most the window) have a send time and a deadline.
struct ProbeScheduler {
    /// One try of one (host, port): `index` = host × port count + port.
    typealias Probe = PendingProbe

    /// What the transport should do now.
    enum Decision: Equatable {
        /// Send this probe, then report ``sent(_:now:)`` (or pressure, or a conclusion).
        case send(Probe)
        /// Nothing may be sent before `until` (a token bucket); wait for events until then.
        case wait(until: UInt64)
        /// Nothing can be sent until an answer, a silence or a deadline frees room.
        case idle
        /// Every probe has its outcome.
        case done
    }

    /// The outcome codes of what the scheduler itself concludes.
    struct Codes {
        var noResponse: UInt8
        var hostTimeout: UInt8
        var tarpit: UInt8
    }

    /// A probe in flight.
    struct Flight {
        var attempt: Int
        var sentAt: UInt64
    }

    let hostCount: Int
    let portCount: Int
    let total: Int
    let settings: SchedulerSettings
    let codes: Codes
    let permutation: IndexPermutation
    let start: UInt64

    /// Outcome bytes (0 = not concluded), tries sent, and finish times (ms after `start`).
    var outcome: [UInt8]
    var tries: [UInt8]
    var finishedAt: [UInt32]
    var done = 0
    var statistics = ScanStatistics()

    var cursor: UInt64 = 0
    var preferReady = false
    var held: Probe?
    var ready = ProbeQueue()
    var blocked = BlockedProbes()
    /// The most probes held back before the permutation waits (``candidate()``).
    let backlogLimit: Int
    var flights: [Int: Flight] = [:]
    var heap = DeadlineHeap()

    var window: Double
    var lastPressure: UInt64 = 0
    /// Pressure reports in a row with nothing in flight (the transport stops after too many).
    var idlePressureRounds = 0
    var bucket: TokenBucket?

    var hosts: [HostSchedule]
    var globalEstimator: RTTEstimator
    /// Hosts flagged as tarpits, in order.
    var tarpitHosts: [Int] = []
    var lastHostTimeoutCheck: UInt64 = 0

    /// Prepares a scan of `hostCount` hosts × `ports` (the port numbers only serve the tarpit
    /// rule's high-port floor).
    init(hostCount: Int, ports: [UInt16], settings: SchedulerSettings, codes: Codes, seed: UInt64, now: UInt64) {
        self.hostCount = hostCount
        portCount = ports.count
        total = hostCount * ports.count
        self.settings = settings
        self.codes = codes
        let floor = settings.tarpit?.highPortFloor ?? 0
        isHighPort = ports.map { $0 >= floor }
        start = now
        permutation = IndexPermutation(count: UInt64(total), seed: seed)
        outcome = [UInt8](repeating: 0, count: total)
        tries = [UInt8](repeating: 0, count: total)
        finishedAt = [UInt32](repeating: 0, count: total)
        window = Double(settings.window)
        backlogLimit = max(16_384, 4 * settings.window)
        let estimator = RTTEstimator(
            initial: settings.initialTimeout, minimum: settings.minTimeout, maximum: settings.maxTimeout)
        globalEstimator = estimator
        let host = HostSchedule(
            remaining: portCount, cap: Double(settings.perHostInitial), estimator: estimator,
            bucket: settings.perHostRate.map { TokenBucket(rate: $0, now: now) })
        hosts = Array(repeating: host, count: hostCount)
        if let rate = settings.rate { bucket = TokenBucket(rate: rate, now: now) }
        let highPorts = isHighPort.count(where: { $0 })
        tarpitRule = settings.tarpit.flatMap { highPorts >= $0.minimumHighPorts ? $0 : nil }
        statistics.initialWindow = settings.window
        statistics.smallestWindow = settings.window
    }

    /// Whether each port index is at or above the tarpit rule's floor.
    let isHighPort: [Bool]
    let tarpitRule: TarpitRule?

    /// Probes in flight now.
    var inFlight: Int { flights.count }
    /// Whether every probe has its outcome.
    var isDone: Bool { done >= total }

    /// The host of a probe index.
    func host(of index: Int) -> Int { index / portCount }

    /// The probe timeout of `host` in microseconds: its own estimator once it has samples, the
    /// global one before.
    func timeout(host: Int) -> Int64 {
        let own = hosts[host].estimator
        return own.samples > 0 ? own.timeout : globalEstimator.timeout
    }

    /// When the transport must wake up at the latest: the earliest deadline or a bucket's next
    /// token, whichever is sooner (`nil`: nothing is scheduled).
    func wakeUp() -> UInt64? { heap.earliest }

    /// The final timing of each host's estimator.
    func finalEstimators() -> [RTTEstimator] { hosts.map(\.estimator) }
}

/// The limits a transport gives the scheduler (from ``ScanConfiguration``), in scheduler units.
struct SchedulerSettings {
    /// The most probes in flight at once (after the transport's own limits, e.g. descriptors).
    var window: Int
    /// The highest per-host in-flight cap, and the cap a host starts with.
    var perHostCeiling: Int
    var perHostInitial: Int
    /// Most retransmissions of a silent probe (loss-driven below that).
    var maxRetries: Int
    /// Timeouts in microseconds.
    var initialTimeout: Int64
    var minTimeout: Int64
    var maxTimeout: Int64
    /// Probes per second, overall and per host; `nil` for no cap.
    var rate: Int?
    var perHostRate: Int?
    /// Abandon a host this many microseconds after its first probe.
    var hostTimeout: Int64?
    /// The tarpit rule, or `nil` for none.
    var tarpit: TarpitRule?

    /// The settings of `configuration`, with the window capped at `windowLimit`.
    init(_ configuration: ScanConfiguration, windowLimit: Int = .max, retryLimit: Int = .max) {
        window = max(1, min(configuration.maxInFlight, windowLimit))
        perHostCeiling = max(1, min(configuration.maxInFlightPerHost, window))
        perHostInitial = max(1, min(perHostCeiling, configuration.initialInFlightPerHost))
        maxRetries = max(0, min(configuration.maxRetries, retryLimit))
        initialTimeout = configuration.initialTimeout.microseconds
        minTimeout = configuration.minTimeout.microseconds
        maxTimeout = configuration.maxTimeout.microseconds
        rate = configuration.maxRate
        perHostRate = configuration.maxRatePerHost
        hostTimeout = configuration.hostTimeout?.microseconds
        tarpit = configuration.tarpitRule
    }
}

/// One host's part of the schedule.
struct HostSchedule {
    var inFlight = 0
    var remaining: Int
    /// The adaptive in-flight cap (grows on stable answers, halves on loss).
    var cap: Double
    var estimator: RTTEstimator
    var bucket: TokenBucket?
    /// The highest try that got an answer (loss evidence for retries).
    var bestTry = 0
    /// When the host's first probe left.
    var started: UInt64?
    var abandoned = false
    var highAnswers = 0
    var highOpen = 0
}
