import Logging
import PortwardenCore

/// One raw SYN scan: the probe state of every (host, port), the sockets, and the loop that sends
/// probes, reads replies and expires deadlines on the calling thread (scanning.md §3, §4, §7, §9).
///
/// Per probe it keeps one byte of outcome, one byte of tries, the last send time and the finish
/// time. Replies are attributed by the cookie, not by a table of sent packets.
final class SYNEngine {
    let hosts: [IPAddress]
    let ports: [UInt16]
    let configuration: ScanConfiguration
    let logger: Logger
    let total: Int
    let cookie: SYNCookie
    let maxTries: Int

    var outcome: [UInt8]
    var attempts: [UInt8]
    var sentAt: [UInt64]
    var finishedAt: [UInt64]
    var inFlight: [Bool]
    /// Each host's route source address (host byte order), 0 when it has no route.
    var hostSource: [UInt32]
    var hostInFlight: [Int]
    var hostBestTry: [Int]
    var hostFirstSent: [UInt64]
    var hostTimedOut: [Bool]
    var hostEstimators: [RTTEstimator]
    var globalEstimator: RTTEstimator
    let hostIndex: [UInt32: Int]
    let portIndex: [UInt16: Int]

    var heap = TimeoutHeap()
    var retryQueue = ProbeQueue()
    let permutation: IndexPermutation
    var cursor: UInt64 = 0
    var bucket: TokenBucket?
    var inFlightCount = 0
    var done = 0
    var statistics = ScanStatistics()
    var rejected: [SYNReplyRejection: Int] = [:]
    var unmatched = 0
    var duplicates = 0
    var lastHostTimeoutCheck: UInt64 = 0

    var sendSocket: Int32 = -1
    var captureSocket: Int32 = -1
    var packet = [UInt8](repeating: 0, count: SYNPacket.length)
    var receiveBuffer = [UInt8](repeating: 0, count: 65_536)
    var identification: UInt16 = 0

    let startMonotonic: UInt64
    let startWall: Double

    /// Prepares a scan; opens no socket yet.
    /// - Throws: ``ScanError`` for IPv6 targets or a scan larger than the engine's index space.
    init(
        hosts: [IPAddress], ports: [UInt16], configuration: ScanConfiguration, key: SipHash24, logger: Logger
    ) throws {
        if let host = hosts.first(where: { !$0.isIPv4 }) {
            throw ScanError(.configuration, "the raw SYN scan supports IPv4 only (\(host)); use the connect scan")
        }
        let (product, overflow) = hosts.count.multipliedReportingOverflow(by: ports.count)
        guard !overflow, product < Int(Int32.max) else {
            throw ScanError(.tooLarge, "\(hosts.count) hosts × \(ports.count) ports is too large for one SYN scan")
        }
        self.hosts = hosts
        self.ports = ports
        self.configuration = configuration
        self.logger = logger
        total = product
        cookie = SYNCookie(key: key)
        maxTries = min(SYNCookie.maximumTries, max(0, configuration.maxRetries) + 1)
        outcome = [UInt8](repeating: 0, count: total)
        attempts = [UInt8](repeating: 0, count: total)
        sentAt = [UInt64](repeating: 0, count: total)
        finishedAt = [UInt64](repeating: 0, count: total)
        inFlight = [Bool](repeating: false, count: total)
        hostSource = [UInt32](repeating: 0, count: hosts.count)
        hostInFlight = [Int](repeating: 0, count: hosts.count)
        hostBestTry = [Int](repeating: -1, count: hosts.count)
        hostFirstSent = [UInt64](repeating: 0, count: hosts.count)
        hostTimedOut = [Bool](repeating: false, count: hosts.count)
        let estimator = RTTEstimator(
            initial: configuration.initialTimeout.microseconds, minimum: configuration.minTimeout.microseconds,
            maximum: configuration.maxTimeout.microseconds)
        hostEstimators = [RTTEstimator](repeating: estimator, count: hosts.count)
        globalEstimator = estimator
        var hostIndex: [UInt32: Int] = [:]
        for (index, host) in hosts.enumerated() where hostIndex[host.ipv4Value] == nil {
            hostIndex[host.ipv4Value] = index
        }
        var portIndex: [UInt16: Int] = [:]
        for (index, port) in ports.enumerated() where portIndex[port] == nil { portIndex[port] = index }
        self.hostIndex = hostIndex
        self.portIndex = portIndex
        permutation = IndexPermutation(count: UInt64(total), seed: configuration.seed)
        startMonotonic = Kernel.monotonicNanoseconds()
        startWall = Kernel.wallClockSeconds()
        statistics.initialWindow = max(1, configuration.maxInFlight)
        statistics.smallestWindow = statistics.initialWindow
    }

    deinit {
        if sendSocket >= 0 { Kernel.close(sendSocket) }
        if captureSocket >= 0 { Kernel.close(captureSocket) }
    }

    /// Runs the scan to the end.
    /// - Throws: ``ScanError`` when the raw sockets cannot be opened or the network goes down.
    func run() throws -> ScanResult {
        guard total > 0 else { return ScanResult(observations: [], statistics: finalStatistics()) }
        try openSockets()
        resolveSources()
        if let rate = configuration.maxRate {
            bucket = TokenBucket(rate: rate, now: Kernel.monotonicNanoseconds())
        }
        while done < total {
            var now = Kernel.monotonicNanoseconds()
            receiveAll(now: now)
            expire(now: now)
            checkHostTimeouts(now: now)
            try sendBatch(now: now)
            guard done < total else { break }
            now = Kernel.monotonicNanoseconds()
            Kernel.waitReadable(captureSocket, milliseconds: waitMilliseconds(now: now))
        }
        statistics.elapsed = .nanoseconds(Int64(Kernel.monotonicNanoseconds() &- startMonotonic))
        logSummary()
        return ScanResult(observations: observations(), statistics: finalStatistics())
    }

    private func openSockets() throws {
        let send = Kernel.openRawSendSocket()
        guard send >= 0 else { throw socketError("the raw send socket (IPPROTO_RAW)", -send) }
        sendSocket = send
        let program = SYNCaptureFilter.program(low: cookie.base, high: cookie.lastPort)
        let capture = Kernel.openCaptureSocket(program: program)
        guard capture >= 0 else { throw socketError("the AF_PACKET capture socket", -capture) }
        captureSocket = capture
    }

    private func socketError(_ what: String, _ code: Int32) -> ScanError {
        ScanError(
            .resources,
            "cannot open \(what): \(Kernel.describe(errno: code)); the SYN scan needs root or "
                + "CAP_NET_RAW — run the connect scan instead")
    }

    /// Learns each host's source address; hosts without a route finish at once.
    private func resolveSources() {
        let now = Kernel.monotonicNanoseconds()
        for (host, address) in hosts.enumerated() {
            switch Kernel.routeSource(to: address) {
            case .success(let source):
                hostSource[host] = source.ipv4Value
            case .failure(let error):
                let reason: SYNReason =
                    error.code == Kernel.Errno.networkUnreachable
                    ? .networkUnreachable
                    : (error.code == Kernel.Errno.hostUnreachable
                        ? .hostUnreachable : .localError)
                logger.warning(
                    "no route to \(address): \(Kernel.describe(errno: error.code)); its ports are filtered")
                for port in ports.indices { finish(host * ports.count + port, reason, now: now) }
            }
        }
    }

    /// The probe timeout of `host` in microseconds (the global estimator until it has samples).
    func timeout(host: Int) -> Int64 {
        hostEstimators[host].samples > 0 ? hostEstimators[host].timeout : globalEstimator.timeout
    }

    private func waitMilliseconds(now: UInt64) -> Int32 {
        var wait: UInt64 = 50_000_000
        if let earliest = heap.earliest { wait = min(wait, earliest > now ? earliest - now : 0) }
        let canSend = inFlightCount < statistics.initialWindow && (!retryQueue.isEmpty || cursor < UInt64(total))
        if canSend {
            if var bucket {
                wait = min(wait, bucket.wait(now: now))
                self.bucket = bucket
            } else {
                wait = 0
            }
        }
        return Int32((wait + 999_999) / 1_000_000)
    }

    /// Concludes a probe (first answer wins; later ones are duplicates).
    func finish(_ index: Int, _ reason: SYNReason, now: UInt64) {
        guard outcome[index] == 0 else { return }
        outcome[index] = reason.rawValue
        finishedAt[index] = now
        done += 1
        if inFlight[index] {
            inFlight[index] = false
            inFlightCount -= 1
            hostInFlight[index / ports.count] -= 1
        }
        switch reason.state {
        case .open: statistics.open += 1
        case .closed: statistics.closed += 1
        default: statistics.filtered += 1
        }
        if reason == .localPolicy { statistics.localPolicyDrops += 1 }
    }
}
