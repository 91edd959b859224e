import Logging
import PortwardenCore

/// The TCP connect transport, driven synchronously by `run()` on the calling thread: it owns
/// the sockets and the epoll instance and turns `connect()` results into scheduler events; the
/// ``ProbeScheduler`` decides what to send when.
final class ConnectEngine {
    /// A socket in flight, indexed by its descriptor.
    struct Slot {
        var probe = PendingProbe(index: 0, attempt: 0)
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
    let cancellation: ScanCancellation?

    var scheduler: ProbeScheduler
    var slots: [Slot] = []
    /// The descriptor of each probe in flight.
    var descriptors: [Int: Int32] = [:]
    /// Transport counters (self-connects, late ICMP errors, local policy, descriptor pressure).
    var counters = ScanStatistics()
    var warnedLocalPolicy = false
    var warnedPressure = false
    var interrupted = false
    /// Hosts a `connect()` could not route (our own routing table), counted once.
    var unroutable = Set<Int>()
    let startMonotonic: UInt64
    let startWall: Double
    var epoll: Epoll?

    init(
        hosts: [IPAddress], ports: [UInt16], configuration: ScanConfiguration, logger: Logger,
        cancellation: ScanCancellation? = nil
    ) throws {
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
        self.cancellation = cancellation
        total = product.partialValue
        let limit = Kernel.raiseOpenFileLimit()
        startMonotonic = Kernel.monotonicNanoseconds()
        startWall = Kernel.wallClockSeconds()
        scheduler = ProbeScheduler(
            hostCount: hosts.count, ports: ports, settings: SchedulerSettings(configuration, windowLimit: limit - 64),
            codes: .init(
                noResponse: ProbeReason.noResponse.rawValue, hostTimeout: ProbeReason.hostTimeout.rawValue,
                tarpit: ProbeReason.tarpit.rawValue),
            seed: configuration.seed, now: startMonotonic)
    }

    /// Runs the scan to completion (or until cancelled) on the calling thread.
    /// - Returns: the final counters; the observations are then read with `forEachObservation`.
    func run(progress: ((ScanProgress) -> Void)?) throws -> ScanStatistics {
        guard total > 0 else { return finalStatistics() }
        let epoll: Epoll
        do {
            epoll = try Epoll(capacity: 2048)
        } catch {
            throw ScanError(.eventLoop, "epoll_create1 failed: \(Kernel.describe(errno: error.code))")
        }
        self.epoll = epoll
        defer { closeEverything() }
        var lastReport = startMonotonic
        while !scheduler.isDone {
            if cancellation?.isCancelled == true {
                interrupted = true
                break
            }
            let stop = try issue(now: Kernel.monotonicNanoseconds())
            if scheduler.idlePressureRounds > 500 {
                throw ScanError(
                    .resources,
                    "no socket could be opened or connected for 5 s with nothing in flight "
                        + "(out of file descriptors or local ports); close other programs or lower --max-in-flight")
            }
            let waitMilliseconds = waitTime(after: stop, now: Kernel.monotonicNanoseconds())
            var completed: [Int32] = []
            let failure = epoll.wait(timeoutMilliseconds: waitMilliseconds) { completed.append($0) }
            guard failure == 0 else {
                throw ScanError(.eventLoop, "epoll_wait failed: \(Kernel.describe(errno: failure))")
            }
            let now = Kernel.monotonicNanoseconds()
            for fd in completed { try handleEvent(fd: fd, now: now) }
            expireTimeouts(now: now)
            scheduler.checkHostTimeouts(now: now)
            if let progress, now - lastReport > 250_000_000 {
                lastReport = now
                progress(currentProgress(now: now))
            }
        }
        let end = Kernel.monotonicNanoseconds()
        progress?(currentProgress(now: end))
        counters.elapsed = .nanoseconds(Int64(end - startMonotonic))
        return finalStatistics()
    }

    /// How long to block in `epoll_wait` given why the issuer stopped (at most 100 ms, so that a
    /// cancellation is seen promptly).
    private func waitTime(after stop: IssueStop, now: UInt64) -> Int32 {
        var wait: UInt64 = 100_000_000
        switch stop {
        case .rate(let nanoseconds): wait = min(wait, nanoseconds)
        case .pressure: if scheduler.inFlight == 0 { wait = 10_000_000 }
        case .batch: return 0
        case .capacity, .exhausted: break
        }
        if let earliest = scheduler.wakeUp() { wait = min(wait, earliest > now ? earliest - now : 0) }
        return Int32((wait + 999_999) / 1_000_000)
    }

    private func closeEverything() {
        for fd in slots.indices where slots[fd].active {
            slots[fd].active = false
            Kernel.closeAbortively(Int32(fd))
        }
        descriptors.removeAll()
        epoll = nil
    }

    func currentProgress(now: UInt64) -> ScanProgress {
        let seconds = Double(now - startMonotonic) / 1e9
        let statistics = scheduler.statistics
        let rate = seconds > 0 ? Double(statistics.probesSent) / seconds : 0
        var eta: Duration? = nil
        let done = scheduler.done
        if done > 0, seconds > 0 {
            let remaining = Double(total - done) * seconds / Double(done)
            eta = .milliseconds(Int64(remaining * 1000))
        }
        return ScanProgress(done: done, total: total, open: statistics.open, rate: rate, eta: eta)
    }
}
