import Logging
import PortwardenCore

/// Finds which targets are up before the port scan, as nmap's default discovery does: the local
/// route first (no route is a scan error, never "down"), ICMP echo and timestamp, TCP connect
/// pings, and the kernel's ARP table for directly attached segments. Any answer makes a host up,
/// including a RST or an ICMP error the host itself sent.
///
/// `run` works on the calling thread (network namespaces are per thread).
public struct HostDiscovery: Sendable {
    /// What to try and how long to wait.
    public let configuration: DiscoveryConfiguration
    private let logger: Logger

    /// Creates a discovery pass.
    public init(configuration: DiscoveryConfiguration, logger: Logger = Logger(label: "portwarden.discovery")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Only the route check: every routable target is `scanned` (no discovery), the others
    /// `unreachable` with what the local stack said.
    public static func routes(of hosts: [IPAddress]) -> [HostCoverage] {
        hosts.map { host in
            switch RouteVerdict.lookUp(host) {
            case .source(let source):
                return HostCoverage(
                    host: host, status: .scanned, reason: "scanned without discovery", sourceAddress: source)
            case .unreachable(let reason):
                return HostCoverage(host: host, status: .unreachable, reason: reason)
            }
        }
    }

    /// Runs discovery on the calling thread.
    /// - Parameter hosts: the targets (scoped by the caller).
    /// - Returns: per target up, down or unreachable with the reason.
    /// - Throws: ``ScanError`` when the TCP ping engine fails (epoll, network down).
    public func run(hosts: [IPAddress]) throws -> DiscoveryResult {
        var state = DiscoveryState(hosts: hosts)
        for (index, host) in hosts.enumerated() {
            switch RouteVerdict.lookUp(host) {
            case .source(let source):
                state.entries[index].sourceAddress = source
            case .unreachable(let reason):
                state.entries[index].status = .unreachable
                state.entries[index].reason = reason
            }
        }
        if configuration.icmp {
            for ipv6 in [false, true] { pingICMP(ipv6: ipv6, state: &state) }
        }
        if configuration.neighbourTable { state.applyNeighbours(NeighbourTable.current()) }
        if !configuration.tcpPorts.isEmpty { try pingTCP(state: &state) }
        if configuration.neighbourTable { state.applyNeighbours(NeighbourTable.current()) }
        state.concludeDown(methods: configuration, icmpUsed: state.icmpUsed)
        return DiscoveryResult(
            hosts: state.entries, methods: configuration.methods, notes: state.notes, probesSent: state.probesSent)
    }

    /// ICMP echo (+ timestamp over raw IPv4) to every pending target of one family, in rounds.
    private func pingICMP(ipv6: Bool, state: inout DiscoveryState) {
        guard state.pending(ipv6: ipv6).count > 0 else { return }
        let fd: Int32
        let raw: Bool
        switch Kernel.openICMPSocket(ipv6: ipv6) {
        case .success(let socket): (fd, raw) = socket
        case .failure(let failure):
            state.notes.append(
                "ICMP\(ipv6 ? "v6" : ""): no raw or ping socket (\(Kernel.describe(errno: failure.code))); "
                    + "echo and timestamp skipped (run as root, or widen net.ipv4.ping_group_range)")
            return
        }
        defer { Kernel.close(fd) }
        state.icmpUsed[ipv6 ? 1 : 0] = raw ? .raw : .ping
        let identifier = UInt16.random(in: 1...UInt16.max)
        var listener = ICMPListener(fd: fd, ipv6: ipv6, raw: raw, identifier: identifier)
        for _ in 0..<max(1, configuration.icmpRounds) {
            let targets = state.pending(ipv6: ipv6)
            if targets.isEmpty { break }
            for (count, index) in targets.enumerated() {
                let host = state.entries[index].host
                let sequence = UInt16(truncatingIfNeeded: index)
                var messages = [ICMPDiscoveryPacket.echo(identifier: identifier, sequence: sequence, ipv6: ipv6)]
                if raw, !ipv6 {
                    messages.append(ICMPDiscoveryPacket.timestamp(identifier: identifier, sequence: sequence))
                }
                for message in messages
                where message.withUnsafeBytes({ Kernel.sendTo(fd, $0, address: host, port: 0) }) == 0 {
                    state.probesSent += 1
                }
                if count % 64 == 63 { listener.drain(into: &state, waitMilliseconds: pause(for: 64)) }
            }
            listener.collect(into: &state, for: configuration.icmpWait)
        }
    }

    /// Milliseconds to pause after `count` requests to stay under `maxRate` (1 ms without a cap).
    private func pause(for count: Int) -> Int32 {
        guard let rate = configuration.maxRate, rate > 0 else { return 1 }
        return Int32(clamping: max(1, count * 1000 / rate))
    }

    /// TCP connect pings to the configured ports of every target still pending.
    private func pingTCP(state: inout DiscoveryState) throws {
        let pending = state.pending(ipv6: nil)
        guard !pending.isEmpty else { return }
        var connect = configuration.connect
        connect.maxRetries = min(connect.maxRetries, 1)
        connect.tarpitRule = nil
        connect.hostTimeout = nil
        let hosts = pending.map { state.entries[$0].host }
        let result = try ConnectScanner(configuration: connect, logger: logger).run(
            hosts: hosts, ports: configuration.tcpPorts)
        state.probesSent += result.statistics.probesSent
        for observation in result.observations where observation.state == .open || observation.state == .closed {
            guard let index = state.index[observation.host], state.entries[index].status == .down else { continue }
            let answer = observation.state == .open ? "syn-ack" : "reset"
            state.markUp(index, method: .tcpConnect, reason: "\(answer) from tcp/\(observation.port)")
        }
    }
}

/// Reads one ICMP socket and applies what it says to the discovery state.
struct ICMPListener {
    let fd: Int32
    let ipv6: Bool
    let raw: Bool
    let identifier: UInt16
    private var buffer = [UInt8](repeating: 0, count: 2048)

    init(fd: Int32, ipv6: Bool, raw: Bool, identifier: UInt16) {
        self.fd = fd
        self.ipv6 = ipv6
        self.raw = raw
        self.identifier = identifier
    }

    /// Reads every queued datagram, after waiting up to `waitMilliseconds` for the first.
    mutating func drain(into state: inout DiscoveryState, waitMilliseconds: Int32) {
        Kernel.waitReadable(fd, milliseconds: waitMilliseconds)
        while true {
            let (count, source) = Kernel.receive(fd, into: &buffer)
            guard count >= 0 else { return }
            guard let source else { continue }
            let reply = buffer.withUnsafeBytes { bytes in
                ICMPDiscoveryReplyParser.parse(
                    UnsafeRawBufferPointer(rebasing: bytes[0..<min(count, bytes.count)]), from: source, ipv6: ipv6,
                    raw: raw, identifier: identifier)
            }
            if let reply { state.apply(reply) }
        }
    }

    /// Listens for `duration`, or until every target of this family answered.
    mutating func collect(into state: inout DiscoveryState, for duration: Duration) {
        let end = Kernel.monotonicNanoseconds() + UInt64(max(0, duration.microseconds)) * 1000
        while state.pending(ipv6: ipv6).count > 0 {
            let now = Kernel.monotonicNanoseconds()
            if now >= end { return }
            drain(into: &state, waitMilliseconds: Int32(clamping: max(1, (end - now) / 1_000_000)))
        }
    }
}
