import PortwardenCore
import PortwardenMonitor
import PortwardenScan

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A syslog receiver input of `portwarden monitor` (`input syslog udp://ADDRESS:PORT`, `…tcp://…`): a
/// non-blocking socket read by the monitor's own loop. UDP takes one message per datagram; TCP accepts up
/// to `maxConnections` connections and frames each with its own `SyslogStreamFramer`. Messages go through
/// `SyslogMessageReader` to the pipeline. A receiver keeps no offsets: what a UDP sender sends while the
/// monitor is not running is lost.
///
/// When `accept` fails for want of a resource (descriptors: `EMFILE`, `ENFILE`; kernel memory: `ENOBUFS`,
/// `ENOMEM`) the listener stays readable, so polling it again would wake the loop at once and fail forever.
/// The receiver says so once, then leaves the listener out of `descriptors` until a connection closes or
/// `acceptBackoff` passes; the waiting connections stay queued in the kernel's backlog meanwhile.
final class SyslogReceiver {
    struct Limits {
        /// TCP connections open at once; more are accepted and closed at once.
        var maxConnections = 64
        /// The largest message, in bytes (datagram, frame or line).
        var maxMessage = 65536
    }

    private struct Connection {
        var fd: Int32
        var framer: SyslogStreamFramer
        var messages = 0
    }

    let url: SyslogURL
    let limits: Limits
    private let fd: Int32
    private var connections: [Connection] = []
    private var reader: SyslogMessageReader
    private var datagrams = 0
    private var refused = 0
    /// Until when the listener is left alone after `accept` failed for want of a resource; nil when accepting.
    private var acceptPausedUntil: ContinuousClock.Instant?
    /// Whether the current run of failed accepts has been reported (one line per run, not per failure).
    private var acceptFailureReported = false
    /// How long the listener rests after `accept` failed for want of a resource, unless a connection closes.
    static let acceptBackoff: Duration = .seconds(1)
    private var buffer: [UInt8]
    /// Messages read since `markCommitted`.
    private(set) var uncommitted: Int64 = 0

    /// The input's name in alerts, problems and silence reports.
    var name: String { url.description }

    /// What its messages became.
    var counts: LogCounts { reader.counts }

    /// Binds `url` (and listens on it for TCP).
    /// - Throws: a runtime failure when the address cannot be bound (in use, not local, not permitted).
    init(url: SyslogURL, limits: Limits, now: Date) throws {
        self.url = url
        self.limits = limits
        reader = SyslogMessageReader(now: now)
        buffer = [UInt8](repeating: 0, count: max(limits.maxMessage + 1, 1 << 16))
        let kind = url.transport == .tcp ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(url.address.isIPv4 ? AF_INET : AF_INET6, kind | flags, 0)
        guard fd >= 0 else { throw CLIFailure.runtime("syslog input \(url): socket: \(PeerSocket.lastError)") }
        var on: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        if url.transport == .tcp {
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, size)
        } else {
            // Room for bursts while the loop is busy judging (the kernel caps it at net.core.rmem_max).
            var bytes: Int32 = 4 << 20
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, size)
        }
        if !url.address.isIPv4 { _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, size) }
        let bound = SocketAddress.with(url.address, port: url.port) { bind(fd, $0, $1) }
        guard bound == 0, url.transport == .udp || listen(fd, 128) == 0 else {
            let reason = PeerSocket.lastError
            close(fd)
            throw CLIFailure.runtime("syslog input \(url): cannot listen: \(reason)")
        }
        self.fd = fd
    }

    deinit {
        for connection in connections { close(connection.fd) }
        close(fd)
    }

    /// The descriptors to wait on: the socket (unless accepting is paused) and every open connection.
    var descriptors: [Int32] { (acceptPaused ? [] : [fd]) + connections.map(\.fd) }

    /// Whether the listener rests now; ends the rest once the back-off has passed.
    private var acceptPaused: Bool {
        guard let until = acceptPausedUntil else { return false }
        return ContinuousClock.now < until
    }

    func markCommitted() { uncommitted = 0 }

    /// Reads what is waiting now (a bounded amount per call) and hands every event and problem to `handle`.
    /// - Returns: whether anything was read.
    func drain(_ handle: (LogReaderItem) -> Void) -> Bool {
        url.transport == .udp ? drainDatagrams(handle) : drainStreams(handle)
    }

    /// Ends every connection (the monitor stops): a last line without LF is still a message.
    func closeAll(_ handle: (LogReaderItem) -> Void) {
        for index in connections.indices.reversed() { end(index, handle) }
    }

    private func drainDatagrams(_ handle: (LogReaderItem) -> Void) -> Bool {
        var progressed = false
        for _ in 0..<512 {
            let (count, peer) = buffer.withUnsafeMutableBytes {
                SocketAddress.receive(fd, into: $0, flags: Int32(MSG_TRUNC))
            }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            progressed = true
            datagrams += 1
            uncommitted += 1
            let source = "\(url) from \(Self.describe(peer))"
            if count > limits.maxMessage {
                reader.countProblem()
                Terminal.writeError(
                    "portwarden: "
                        + SyslogFramingError(
                            .oversize, peer: source, offset: 0,
                            "datagram \(datagrams) of \(count) bytes is over the limit of \(limits.maxMessage) bytes; "
                                + "it is skipped"
                        ).description)
                continue
            }
            reader.read(buffer[0..<count], source: source, number: datagrams, handle)
        }
        return progressed
    }

    private func drainStreams(_ handle: (LogReaderItem) -> Void) -> Bool {
        var progressed = acceptWaiting()
        var index = 0
        while index < connections.count {
            var open = true
            // A bounded amount per connection and call, so that one busy sender cannot starve the others.
            for _ in 0..<4 {
                let capacity = buffer.count
                let count = buffer.withUnsafeMutableBytes { recv(connections[index].fd, $0.baseAddress, capacity, 0) }
                if count < 0 && errno == EINTR { continue }
                if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
                progressed = true
                guard count > 0 else {
                    end(index, handle)
                    open = false
                    break
                }
                feed(index, buffer[0..<count], handle)
            }
            if open { index += 1 }
        }
        return progressed
    }

    /// Accepts the connections waiting (a bounded number per call); beyond the limit each is closed at once
    /// (and reported, the first time and then every 100th).
    private func acceptWaiting() -> Bool {
        guard !acceptPaused else { return false }
        acceptPausedUntil = nil
        var accepted = false
        for _ in 0..<256 {
            let (client, peer) = SocketAddress.accept(fd)
            guard client >= 0 else {
                let error = errno
                switch error {
                case EAGAIN, EWOULDBLOCK:
                    return accepted
                case EINTR:
                    continue
                // The waiting connection failed before it was taken (accept(2) on Linux passes the network's
                // errors through, and a firewall's EPERM); it is gone from the queue, so try the next one.
                case ECONNABORTED, EPROTO, EPERM, ENETDOWN, ENETUNREACH, EHOSTDOWN, EHOSTUNREACH, ENONET,
                    ENOPROTOOPT, EOPNOTSUPP:
                    continue
                default:
                    // For want of a resource (EMFILE, ENFILE, ENOBUFS, ENOMEM) or a listener that no longer
                    // works: polling it again would fail at once, so rest it.
                    pauseAccepting(error)
                    return accepted
                }
            }
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            accepted = true
            acceptFailureReported = false
            guard connections.count < limits.maxConnections else {
                close(client)
                refused += 1
                if refused % 100 == 1 {
                    Terminal.writeError(
                        "portwarden: syslog input \(url): connection from \(Self.describe(peer)) closed: "
                            + "\(limits.maxConnections) connections are open (receiver-max-connections); "
                            + "\(refused) refused so far")
                }
                continue
            }
            let source = "\(url) from \(Self.describe(peer))"
            connections.append(
                Connection(fd: client, framer: SyslogStreamFramer(peer: source, maxMessage: limits.maxMessage)))
        }
        return accepted
    }

    /// Rests the listener for `acceptBackoff` (or until a connection closes) and says why, once per run of
    /// failures.
    private func pauseAccepting(_ error: Int32) {
        acceptPausedUntil = ContinuousClock.now + Self.acceptBackoff
        guard !acceptFailureReported else { return }
        acceptFailureReported = true
        let reason = String(cString: strerror(error))
        let advice: String
        switch error {
        case EMFILE:
            var limit = rlimit()
            let soft = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? "\(limit.rlim_cur)" : "?"
            advice =
                "this process may open \(soft) files (RLIMIT_NOFILE) and \(connections.count) connections are open; "
                + "raise the limit (ulimit -n, LimitNOFILE= in a systemd unit) or lower receiver-max-connections "
                + "(\(limits.maxConnections))"
        case ENFILE:
            advice = "the system's open-file limit is reached (fs.file-max); raise it or close files elsewhere"
        case ENOBUFS, ENOMEM:
            advice = "the kernel is short of memory for sockets"
        default:
            advice = "the listening socket does not work"
        }
        Terminal.writeError(
            "portwarden: syslog input \(url): cannot accept connections: \(reason): \(advice); new connections "
                + "wait in the kernel's queue until a connection closes (trying again every "
                + "\(Self.acceptBackoff.components.seconds) s); this is reported once until one is accepted")
    }

    private func feed(_ index: Int, _ bytes: ArraySlice<UInt8>, _ handle: (LogReaderItem) -> Void) {
        var framer = connections[index].framer
        var messages = connections[index].messages
        let source = framer.peer
        framer.feed(bytes) { take($0, source: source, messages: &messages, handle) }
        connections[index].framer = framer
        connections[index].messages = messages
    }

    /// The connection at `index` ended: the framer's last message or problem, then close it.
    private func end(_ index: Int, _ handle: (LogReaderItem) -> Void) {
        var framer = connections[index].framer
        var messages = connections[index].messages
        let source = framer.peer
        framer.finish { take($0, source: source, messages: &messages, handle) }
        close(connections[index].fd)
        connections.remove(at: index)
        // A descriptor is free again: try the waiting connections now rather than after the back-off.
        acceptPausedUntil = nil
    }

    private func take(
        _ item: SyslogStreamFramer.Item, source: String, messages: inout Int, _ handle: (LogReaderItem) -> Void
    ) {
        switch item {
        case .message(let message, _):
            messages += 1
            uncommitted += 1
            reader.read(message, source: source, number: messages, handle)
        case .problem(let problem):
            reader.countProblem()
            Terminal.writeError("portwarden: \(problem)")
        }
    }

    /// `ADDRESS:PORT`, `[ADDRESS]:PORT` for IPv6.
    static func describe(_ peer: (address: IPAddress, port: UInt16)?) -> String {
        guard let (address, port) = peer else { return "?" }
        return address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}
