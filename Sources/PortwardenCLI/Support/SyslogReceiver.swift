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

    /// The descriptors to wait on: the socket and every open connection.
    var descriptors: [Int32] { [fd] + connections.map(\.fd) }

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

    /// Accepts the connections waiting; beyond the limit each is closed at once (and reported, the first
    /// time and then every 100th).
    private func acceptWaiting() -> Bool {
        var accepted = false
        while true {
            let (client, peer) = SocketAddress.accept(fd)
            if client >= 0 {
                _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            }
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return accepted
            }
            accepted = true
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
