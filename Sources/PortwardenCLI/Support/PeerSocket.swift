import PortwardenCore
import PortwardenScan

#if canImport(Glibc)
import Glibc
#endif

/// Sockets connected to one IP address and port, for the alert sinks (syslog, webhook): one way to build the
/// peer's `sockaddr`, connect with a deadline and send everything.
enum PeerSocket {
    /// Opens a socket connected to `address`:`port`.
    /// - Parameters:
    ///   - stream: TCP when true, UDP otherwise.
    ///   - timeout: how long a TCP handshake, and then every send and receive, may take; `nil` blocks.
    /// - Returns: the descriptor, or -1 with `errno` set.
    static func connect(_ address: IPAddress, port: UInt16, stream: Bool, timeout: Double? = nil) -> Int32 {
        let kind = stream ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
        let nonBlocking = timeout != nil && stream ? Int32(SOCK_NONBLOCK.rawValue) : 0
        let fd = socket(address.isIPv4 ? AF_INET : AF_INET6, kind | Int32(SOCK_CLOEXEC.rawValue) | nonBlocking, 0)
        guard fd >= 0 else { return -1 }
        var result = SocketAddress.with(address, port: port) { Glibc.connect(fd, $0, $1) }
        if result != 0, errno == EINPROGRESS, let timeout {
            result = awaitConnection(fd, timeout: timeout)
        }
        if result == 0, let timeout {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~Int32(O_NONBLOCK))
            var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
            for option in [SO_SNDTIMEO, SO_RCVTIMEO] {
                _ = setsockopt(fd, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
            }
        }
        guard result == 0 else {
            let saved = errno
            close(fd)
            errno = saved
            return -1
        }
        return fd
    }

    /// Writes all of `bytes`; false when the peer is gone or a send timed out.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// The text of the last error (`errno`).
    static var lastError: String { String(cString: strerror(errno)) }

    /// Waits for a non-blocking connect to finish; 0 when it succeeded.
    private static func awaitConnection(_ fd: Int32, timeout: Double) -> Int32 {
        var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var polled: Int32
        repeat { polled = poll(&ready, 1, Int32(min(timeout * 1000, 3_600_000))) } while polled < 0 && errno == EINTR
        guard polled > 0 else {
            if polled == 0 { errno = ETIMEDOUT }
            return -1
        }
        var failure: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size) == 0 else { return -1 }
        guard failure == 0 else {
            errno = failure
            return -1
        }
        return 0
    }
}
