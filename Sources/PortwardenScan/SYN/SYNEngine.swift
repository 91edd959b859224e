import Logging
import PortwardenCore

/// The raw SYN transport: the raw send socket, the `AF_PACKET` capture socket and the loop that
/// sends what the ``ProbeScheduler`` decides, reads replies and reports them, on the calling
/// thread (docs/scanning.md). Between events it blocks in `poll` on the capture socket
/// until the earliest deadline or token, so an idle scan costs no CPU.
///
/// Replies are attributed by the cookie, not by a table of sent packets; per probe the
/// scheduler keeps its outcome byte, tries and finish time.
final class SYNEngine {
    let hosts: [IPAddress]
    let ports: [UInt16]
    let configuration: ScanConfiguration
    let logger: Logger
    let total: Int
    let cookie: SYNCookie
    let cancellation: ScanCancellation?

    var scheduler: ProbeScheduler
    /// Each host's route source address (host byte order), 0 when it has no route.
    var hostSource: [UInt32]
    let hostIndex: [UInt32: Int]
    let portIndex: [UInt16: Int]

    var counters = ScanStatistics()
    var rejected: [SYNReplyRejection: Int] = [:]
    var unmatched = 0
    var duplicates = 0
    var interrupted = false

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
        hosts: [IPAddress], ports: [UInt16], configuration: ScanConfiguration, key: SipHash24, logger: Logger,
        cancellation: ScanCancellation? = nil
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
        self.cancellation = cancellation
        total = product
        cookie = SYNCookie(key: key)
        hostSource = [UInt32](repeating: 0, count: hosts.count)
        var hostIndex: [UInt32: Int] = [:]
        for (index, host) in hosts.enumerated() where hostIndex[host.ipv4Value] == nil {
            hostIndex[host.ipv4Value] = index
        }
        var portIndex: [UInt16: Int] = [:]
        for (index, port) in ports.enumerated() where portIndex[port] == nil { portIndex[port] = index }
        self.hostIndex = hostIndex
        self.portIndex = portIndex
        startMonotonic = Kernel.monotonicNanoseconds()
        startWall = Kernel.wallClockSeconds()
        scheduler = ProbeScheduler(
            hostCount: hosts.count, ports: ports,
            settings: SchedulerSettings(configuration, retryLimit: SYNCookie.maximumTries - 1),
            codes: .init(
                noResponse: SYNReason.noResponse.rawValue, hostTimeout: SYNReason.hostTimeout.rawValue,
                tarpit: SYNReason.tarpit.rawValue),
            seed: configuration.seed, now: startMonotonic)
    }

    deinit {
        if sendSocket >= 0 { Kernel.close(sendSocket) }
        if captureSocket >= 0 { Kernel.close(captureSocket) }
    }

    /// Runs the scan to the end (or until cancelled).
    /// - Throws: ``ScanError`` when the raw sockets cannot be opened or the network goes down.
    func run() throws -> ScanResult {
        guard total > 0 else { return ScanResult(observations: [], statistics: finalStatistics()) }
        try openSockets()
        resolveSources()
        while !scheduler.isDone {
            if cancellation?.isCancelled == true {
                interrupted = true
                break
            }
            let now = Kernel.monotonicNanoseconds()
            receiveAll(now: now)
            expire(now: now)
            scheduler.checkHostTimeouts(now: now)
            let wakeUp = try sendBatch(now: now)
            guard !scheduler.isDone else { break }
            let later = Kernel.monotonicNanoseconds()
            Kernel.waitReadable(captureSocket, milliseconds: waitMilliseconds(until: wakeUp, now: later))
        }
        counters.elapsed = .nanoseconds(Int64(Kernel.monotonicNanoseconds() &- startMonotonic))
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
                for port in ports.indices {
                    scheduler.conclude(host * ports.count + port, code: reason.rawValue, state: reason.state, now: now)
                }
            }
        }
    }

    /// How long to block on the capture socket: until the earliest deadline or `wakeUp` (a
    /// token or a pressure pause), at most 100 ms so that a cancellation is seen promptly.
    private func waitMilliseconds(until wakeUp: UInt64?, now: UInt64) -> Int32 {
        var until = now + 100_000_000
        if let earliest = scheduler.wakeUp() { until = min(until, earliest) }
        if let wakeUp { until = min(until, wakeUp) }
        return Int32((until > now ? until - now : 0) / 1_000_000)
    }
}
