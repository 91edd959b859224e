import Logging
import PortwardenCore

/// The state of one connect scan, driven synchronously by `run()` on the calling thread.
///
/// Probe state lives in flat arrays: one byte of outcome per (host, port) index, per-host
/// counters and estimators, and a slot per file descriptor for probes in flight. Deadlines are in
/// a min-heap, not a task per probe.
final class ConnectEngine {
    struct Slot {
        var index = 0
        var attempt = 0
        var sentAt: UInt64 = 0
        var generation: UInt32 = 0
        var active = false
    }

    /// Why the issuer stopped sending.
    enum IssueStop {
        case capacity
        case exhausted
        case rate(UInt64)
        case pressure
        /// A batch was sent (possibly all settled at once): poll without blocking, then go on.
        case batch
    }

    let hosts: [IPAddress]
    let ports: [UInt16]
    let configuration: ScanConfiguration
    let logger: Logger
    let total: Int
    let permutation: IndexPermutation

    var outcome: [UInt8]
    /// Milliseconds from the start to each probe's final answer (4 bytes per probe, not 8).
    var finishedAt: [UInt32]
    var done = 0
    var cursor: UInt64 = 0
    var preferReady = false
    var held: PendingProbe?
    var ready = ProbeQueue()
    var blocked: [Int: ProbeQueue] = [:]

    var slots: [Slot] = []
    var heap = TimeoutHeap()
    var generation: UInt32 = 0
    var inFlight = 0
    var window: Double
    var maxWindow: Int
    var lastPressure: UInt64 = 0
    var pressureRoundsIdle = 0
    var bucket: TokenBucket?

    var hostInFlight: [Int32]
    var hostEstimators: [RTTEstimator]
    var globalEstimator: RTTEstimator
    var maxSuccessfulTry: [Int8]
    var hostStarted: [UInt64]
    var hostRemaining: [Int32]
    var hostAbandoned: [Bool]
    var hostUnroutable: [Bool]
    var hostHighAnswers: [Int32]
    var hostHighOpen: [Int32]
    /// The tarpit rule, when the port list covers enough high ports for it to apply.
    let tarpitRule: TarpitRule?

    var statistics = ScanStatistics()
    var warnedLocalPolicy = false
    var warnedPressure = false
    let startMonotonic: UInt64
    let startWall: Double
    var epoll: Epoll?

    init(hosts: [IPAddress], ports: [UInt16], configuration: ScanConfiguration, logger: Logger) throws {
        let product = hosts.count.multipliedReportingOverflow(by: ports.count)
        guard !product.overflow, product.partialValue <= 1 << 36 else {
            throw ScanError(.tooLarge, "\(hosts.count) hosts × \(ports.count) ports is too many probes for one run")
        }
        guard configuration.maxInFlight >= 1, configuration.maxInFlightPerHost >= 1, configuration.maxRetries >= 0
        else {
            throw ScanError(.configuration, "maxInFlight and maxInFlightPerHost must be at least 1, maxRetries ≥ 0")
        }
        self.hosts = hosts
        self.ports = ports
        self.configuration = configuration
        self.logger = logger
        total = product.partialValue
        permutation = IndexPermutation(count: UInt64(total), seed: configuration.seed)
        outcome = [UInt8](repeating: 0, count: total)
        finishedAt = [UInt32](repeating: 0, count: total)
        let limit = Kernel.raiseOpenFileLimit()
        maxWindow = max(1, min(configuration.maxInFlight, limit - 64))
        window = Double(maxWindow)
        let estimator = RTTEstimator(
            initial: configuration.initialTimeout.microseconds, minimum: configuration.minTimeout.microseconds,
            maximum: configuration.maxTimeout.microseconds)
        globalEstimator = estimator
        hostEstimators = Array(repeating: estimator, count: hosts.count)
        hostInFlight = Array(repeating: 0, count: hosts.count)
        maxSuccessfulTry = Array(repeating: 0, count: hosts.count)
        hostStarted = Array(repeating: 0, count: hosts.count)
        hostRemaining = Array(repeating: Int32(clamping: ports.count), count: hosts.count)
        hostAbandoned = Array(repeating: false, count: hosts.count)
        hostUnroutable = Array(repeating: false, count: hosts.count)
        hostHighAnswers = Array(repeating: 0, count: hosts.count)
        hostHighOpen = Array(repeating: 0, count: hosts.count)
        if let rule = configuration.tarpitRule,
            ports.count(where: { $0 >= rule.highPortFloor }) >= rule.minimumHighPorts
        {
            tarpitRule = rule
        } else {
            tarpitRule = nil
        }
        statistics.initialWindow = maxWindow
        statistics.smallestWindow = maxWindow
        startMonotonic = Kernel.monotonicNanoseconds()
        startWall = Kernel.wallClockSeconds()
        if let rate = configuration.maxRate { bucket = TokenBucket(rate: rate, now: startMonotonic) }
    }

    /// Runs the scan to completion on the calling thread.
    /// - Returns: the final counters; the observations are then read with `forEachObservation`.
    func run(progress: ((ScanProgress) -> Void)?) throws -> ScanStatistics {
        guard total > 0 else { return statistics }
        let epoll: Epoll
        do {
            epoll = try Epoll(capacity: 2048)
        } catch {
            throw ScanError(.eventLoop, "epoll_create1 failed: \(Kernel.describe(errno: error.code))")
        }
        self.epoll = epoll
        defer { closeEverything() }
        var lastReport = startMonotonic
        var lastHostCheck = startMonotonic
        while done < total {
            let stop = try issue(now: Kernel.monotonicNanoseconds())
            if pressureRoundsIdle > 500 {
                throw ScanError(
                    .resources,
                    "no socket could be opened or connected for 5 s with nothing in flight "
                        + "(out of file descriptors or local ports); close other programs or lower --max-in-flight")
            }
            let waitMilliseconds = waitTime(after: stop, now: Kernel.monotonicNanoseconds())
            var completed: [Int32] = []
            let failure = epoll.wait(timeoutMilliseconds: waitMilliseconds) {
                completed.append($0)
            }
            guard failure == 0 else {
                throw ScanError(.eventLoop, "epoll_wait failed: \(Kernel.describe(errno: failure))")
            }
            let now = Kernel.monotonicNanoseconds()
            for fd in completed { try handleEvent(fd: fd, now: now) }
            try expireTimeouts(now: now)
            if configuration.hostTimeout != nil, now - lastHostCheck > 50_000_000 {
                lastHostCheck = now
                abandonSlowHosts(now: now)
            }
            if let progress, now - lastReport > 250_000_000 {
                lastReport = now
                progress(currentProgress(now: now))
            }
        }
        let end = Kernel.monotonicNanoseconds()
        progress?(currentProgress(now: end))
        statistics.elapsed = .nanoseconds(Int64(end - startMonotonic))
        return finalStatistics()
    }

    /// How long to block in `epoll_wait` given why the issuer stopped.
    private func waitTime(after stop: IssueStop, now: UInt64) -> Int32 {
        var wait: UInt64 = 100_000_000
        switch stop {
        case .rate(let nanoseconds): wait = min(wait, nanoseconds)
        case .pressure: if inFlight == 0 { wait = 10_000_000 }
        case .batch: return 0
        case .capacity, .exhausted: break
        }
        if let earliest = heap.earliest { wait = min(wait, earliest > now ? earliest - now : 0) }
        return Int32((wait + 999_999) / 1_000_000)
    }

    private func closeEverything() {
        for fd in slots.indices where slots[fd].active {
            slots[fd].active = false
            Kernel.closeAbortively(Int32(fd))
        }
        epoll = nil
    }

    /// The probe timeout for a host in microseconds: its own estimator once it has samples,
    /// the global one before.
    func timeout(host: Int) -> Int64 {
        hostEstimators[host].samples > 0 ? hostEstimators[host].timeout : globalEstimator.timeout
    }

    func currentProgress(now: UInt64) -> ScanProgress {
        let seconds = Double(now - startMonotonic) / 1e9
        let rate = seconds > 0 ? Double(statistics.probesSent) / seconds : 0
        var eta: Duration? = nil
        if done > 0, seconds > 0 {
            let remaining = Double(total - done) * seconds / Double(done)
            eta = .milliseconds(Int64(remaining * 1000))
        }
        return ScanProgress(done: done, total: total, open: statistics.open, rate: rate, eta: eta)
    }
}
