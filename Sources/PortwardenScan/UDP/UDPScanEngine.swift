import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The synchronous UDP engine: one connected, non-blocking UDP socket per probe with
/// `IP_RECVERR`, all on one epoll instance, driven by the calling thread (so a test thread that
/// joined a network namespace scans inside it). One engine runs one scan; it is not thread-safe.
final class UDPScanEngine {
    /// A (host, port) try waiting to be sent.
    struct Probe {
        var host: Int
        var port: UInt16
        /// Sends already made for this port (nmap's `tryno`).
        var tries: Int
    }

    /// A probe whose socket waits for an answer.
    struct InFlight {
        var probe: Probe
        var cookie: UInt16
        var sentAt: UInt64
        var deadline: UInt64
        var expectedReplies: Int
        var replies = 0
        var verdict: UDPVerdict?
        var service: String?
        var handshakes: [String: String] = [:]
        var details: [String: String] = [:]
        var connected: Bool
        /// The second round trip (`UDPPayloads.followUp`): empty until a first reply asks for one,
        /// then its datagrams, by index. It is sent once, and resent at most once at its deadline.
        var followUps: [[UInt8]] = []
        var followUpResent = false
        /// What the answers to the follow-up datagrams said, by index; the first answer wins.
        var followUpAnswers: [Int: UDPPayloads.FollowUpAnswer] = [:]

        /// Whether a follow-up datagram still waits for its answer.
        var followUpPending: Bool { followUpAnswers.count < followUps.count }
    }

    /// One target host's queue, timing and pacing.
    struct HostState {
        var address: IPAddress
        var queue: [Probe] = []
        var head = 0
        var estimator: RTTEstimator
        var bucket: TokenBucket?
        var maxSuccessfulTry = 0
        var hasPending: Bool { head < queue.count }
    }

    /// A port's conclusion.
    struct Outcome {
        var verdict: UDPVerdict
        var service: String?
        var handshakes: [String: String]
        var details: [String: String] = [:]
        var time: Date
    }

    let configuration: UDPScanConfiguration
    let ports: [UInt16]
    var hosts: [HostState]
    var inFlight: [Int32: InFlight] = [:]
    var outcomes: [Int: Outcome] = [:]
    var statistics = ScanStatistics()
    var window: Int
    var globalBucket: TokenBucket?
    var cursor = 0
    var pendingProbes = 0
    var epoll: Epoll
    var buffer = [UInt8](repeating: 0, count: 65_536)
    let shouldStop: () -> Bool

    /// Prepares a scan: duplicate hosts and ports are dropped, each host's ports are shuffled from
    /// the seed.
    init(
        configuration: UDPScanConfiguration, hosts: [IPAddress], ports: [UInt16], shouldStop: @escaping () -> Bool
    )
        throws(ScanError)
    {
        try configuration.validate()
        self.configuration = configuration
        self.shouldStop = shouldStop
        var seenPorts = Set<UInt16>()
        let uniquePorts = ports.filter { seenPorts.insert($0).inserted }
        self.ports = uniquePorts
        var seenHosts = Set<IPAddress>()
        let uniqueHosts = hosts.filter { seenHosts.insert($0).inserted }
        let now = Kernel.monotonicNanoseconds()
        var random = SplitMix64(seed: configuration.seed)
        self.hosts = uniqueHosts.enumerated().map { index, address in
            var state = HostState(
                address: address,
                estimator: RTTEstimator(
                    initial: configuration.initialTimeout.microseconds,
                    minimum: configuration.minTimeout.microseconds,
                    maximum: configuration.maxTimeout.microseconds))
            state.queue = random.shuffled(uniquePorts).map { Probe(host: index, port: $0, tries: 0) }
            if let rate = configuration.perHostRate { state.bucket = TokenBucket(rate: rate, now: now) }
            return state
        }
        window = configuration.maxInFlight
        globalBucket = configuration.maxRate.map { TokenBucket(rate: $0, now: now) }
        pendingProbes = uniqueHosts.count * uniquePorts.count
        statistics.initialWindow = window
        statistics.smallestWindow = window
        do {
            epoll = try Epoll(capacity: min(configuration.maxInFlight, 1024))
        } catch {
            throw ScanError(
                .eventLoop,
                "epoll failed (\(Kernel.describe(errno: error.code))); check the process\'s file-descriptor limit")
        }
    }

    /// Runs the scan to the end on the calling thread.
    /// - Throws: ``ScanError`` (network down, no sockets) or `CancellationError` when stopped.
    func run() throws -> UDPScanResult {
        let started = Kernel.monotonicNanoseconds()
        while !(pendingProbes == 0 && inFlight.isEmpty) {
            if shouldStop() {
                closeAll()
                throw CancellationError()
            }
            let issueWait = try issue()
            let now = Kernel.monotonicNanoseconds()
            var wait = issueWait ?? 100_000_000
            for flight in inFlight.values { wait = min(wait, flight.deadline > now ? flight.deadline - now : 0) }
            let milliseconds = Int32(min(100, (wait + 999_999) / 1_000_000))
            var ready: [Int32] = []
            let code = epoll.wait(timeoutMilliseconds: milliseconds) { ready.append($0) }
            if code != 0 {
                closeAll()
                throw ScanError(
                    .eventLoop,
                    "epoll failed (\(Kernel.describe(errno: code))); check the process\'s file-descriptor limit")
            }
            for fd in ready { handleReadable(fd) }
            expire(now: Kernel.monotonicNanoseconds())
        }
        statistics.elapsed = .nanoseconds(Int64(Kernel.monotonicNanoseconds() - started))
        let observations = observations()
        for observation in observations {
            switch observation.state {
            case .open: statistics.open += 1
            case .closed: statistics.closed += 1
            default: statistics.filtered += 1
            }
        }
        statistics.perHost = hosts.map { $0.estimator.timing(of: $0.address) }
        return UDPScanResult(observations: observations, statistics: statistics)
    }

    /// The observations, sorted by host then port.
    func observations() -> [Observation] {
        var result: [Observation] = []
        result.reserveCapacity(outcomes.count)
        for (index, host) in hosts.enumerated().sorted(by: { $0.element.address < $1.element.address }) {
            for port in ports.sorted() {
                guard let outcome = outcomes[index << 16 | Int(port)] else { continue }
                result.append(
                    Observation(
                        time: outcome.time, host: host.address, transport: .udp, port: port,
                        state: outcome.verdict.state, reason: outcome.verdict.reason, source: .scan,
                        vantage: configuration.vantage, service: outcome.service,
                        handshakes: outcome.handshakes.isEmpty ? nil : outcome.handshakes,
                        details: outcome.details.isEmpty ? nil : outcome.details))
            }
        }
        return result
    }

    /// The probe's cookie: a hash of the seed, host, port and try.
    func cookie(for probe: Probe) -> UInt16 {
        var mix = SplitMix64(
            seed: (configuration.seed ^ UInt64(probe.host) << 24 ^ UInt64(probe.port) << 8) &+ UInt64(probe.tries))
        return UInt16(truncatingIfNeeded: mix.next() >> 17)
    }

    /// The current timeout of `host`'s probes, in nanoseconds.
    func timeout(host: Int) -> UInt64 { UInt64(max(1, hosts[host].estimator.timeout)) * 1000 }

    /// Closes every socket still open.
    func closeAll() {
        for fd in inFlight.keys { Kernel.close(fd) }
        inFlight.removeAll()
    }
}
