import CPortwardenLinux
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// TCP and UDP sockets: open, connect, send, receive, peer checks.
extension Kernel {
    /// Opens a non-blocking, close-on-exec TCP socket.
    ///
    /// `SO_LINGER {1, 0}` is not set here: only a socket that actually connected can leave a
    /// TIME_WAIT behind, so the engine calls ``closeAbortively(_:)`` for those and saves one system
    /// call on every refused or silent probe (most of a scan).
    ///
    /// IPv6 sockets get `IPV6_RECVERR`. Without it an ICMPv6 error (admin-prohibited, no-route,
    /// address or port unreachable) to a connecting socket never wakes epoll on a veth or
    /// loopback path: the target's reject travels back inside our own `connect()` call (the
    /// softirq runs when the SYN is transmitted, while `connect()` still owns the socket lock), so
    /// `tcp_v6_err` takes its "owned by user" branch and only stores `sk_err_soft` (counted as
    /// `TcpExtLockDroppedIcmps`); the socket stays in SYN_SENT and the probe looked silent.
    /// With `IPV6_RECVERR`, `ipv6_icmp_error` also queues the error on the socket's error queue,
    /// which raises `EPOLLERR` at once, and `SO_ERROR` then returns the soft error (`EACCES`).
    /// IPv4 sockets need no option: on the same path Linux raises `EPOLLERR` for ICMP 3/x
    /// without `IP_RECVERR` (measured for codes 0, 1, 2, 3, 9, 10, 13), so that syscall is saved.
    /// - Returns: the fd, or the negated errno.
    static func openTCPSocket(ipv6: Bool) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, type, 0)
        guard fd >= 0 else { return -errno }
        if ipv6, !setOption(fd, level: SOL_IPV6, option: IPV6_RECVERR, value: 1) {
            let code = errno
            close(fd)
            return -code
        }
        return fd
    }

    /// Opens a non-blocking, close-on-exec UDP socket with `IP_RECVERR` (or `IPV6_RECVERR`) set,
    /// so that every ICMP error, soft ones included, is queued for ``receiveError(_:)``.
    /// - Returns: the fd, or the negated errno.
    static func openUDPSocket(ipv6: Bool) -> Int32 {
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, type, 0)
        guard fd >= 0 else { return -errno }
        let recorded =
            ipv6
            ? setOption(fd, level: SOL_IPV6, option: IPV6_RECVERR, value: 1)
            : setOption(fd, level: SOL_IP, option: IP_RECVERR, value: 1)
        guard recorded else {
            let code = errno
            close(fd)
            return -code
        }
        if ipv6 {
            // An IPv6 socket must not also accept IPv4-mapped traffic: the target family is known.
            _ = setOption(fd, level: Int32(IPPROTO_IPV6), option: IPV6_V6ONLY, value: 1)
        }
        return fd
    }

    /// `setsockopt` with an `int` value. - Returns: whether it succeeded.
    static func setOption(_ fd: Int32, level: Int32, option: Int32, value: Int32) -> Bool {
        var value = value
        return setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size)) == 0
    }

    /// Sets `SO_LINGER {1, 0}` and closes: a connected socket sends RST and leaves no TIME_WAIT.
    static func closeAbortively(_ fd: Int32) {
        var linger = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        close(fd)
    }

    /// Starts a connection to `address:port` (for UDP this only fixes the peer).
    /// - Returns: 0 when connected at once, otherwise the errno (`EINPROGRESS` when pending).
    static func connect(_ fd: Int32, to address: IPAddress, port: UInt16) -> Int32 {
        var storage = sockaddr_storage()
        let length = fill(&storage, address: address, port: port)
        let result = withSocketAddress(&storage) { Glibc.connect(fd, $0, length) }
        return result == 0 ? 0 : errno
    }

    /// Binds an unconnected socket to the wildcard address and an ephemeral port.
    /// - Returns: 0, or the errno.
    static func bindEphemeral(_ fd: Int32, ipv6: Bool) -> Int32 {
        var storage = sockaddr_storage()
        storage.ss_family = sa_family_t(ipv6 ? AF_INET6 : AF_INET)
        let length = socklen_t(ipv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let result = withSocketAddress(&storage) { Glibc.bind(fd, $0, length) }
        return result == 0 ? 0 : errno
    }

    /// The pending error of a socket (`getsockopt(SO_ERROR)`), 0 when connected.
    static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return errno }
        return value
    }

    /// Whether the socket has a peer (`getpeername` succeeds). `SO_ERROR` 0 after an `EPOLLERR`
    /// that only reported an error-queue entry must not be taken for a connection.
    static func isConnected(_ fd: Int32) -> Bool {
        var peer = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withSocketAddress(&peer) { getpeername(fd, $0, &length) == 0 }
    }

    /// Whether the socket is connected to itself (local address and port equal the peer's): the
    /// kernel's simultaneous open when the source port happens to equal the destination port.
    static func isSelfConnected(_ fd: Int32) -> Bool {
        var local = sockaddr_storage()
        var peer = sockaddr_storage()
        var localLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withSocketAddress(&local) { getsockname(fd, $0, &localLength) == 0 }
        let peered = withSocketAddress(&peer) { getpeername(fd, $0, &peerLength) == 0 }
        guard named, peered, localLength == peerLength else { return false }
        let size = Int(localLength)
        return withUnsafeBytes(of: &local) { a in
            withUnsafeBytes(of: &peer) { b in a.prefix(size).elementsEqual(b.prefix(size)) }
        }
    }

    /// Sends one datagram on a connected socket. - Returns: 0, or the errno.
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        let sent = bytes.withUnsafeBytes { raw in
            Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
        }
        return sent >= 0 ? 0 : errno
    }

    /// Sends one datagram on an unconnected socket to `address:port`. - Returns: 0, or the errno.
    static func sendTo(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, address: IPAddress, port: UInt16) -> Int32 {
        var storage = sockaddr_storage()
        let length = fill(&storage, address: address, port: port)
        let sent = withSocketAddress(&storage) {
            sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), $0, length)
        }
        return sent >= 0 ? 0 : errno
    }

    /// Reads one datagram into `buffer` without blocking, with the address it came from.
    /// - Returns: the datagram's length (or the negated errno, `-EAGAIN` when none is queued) and
    ///   the sender's address.
    static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> (count: Int, source: IPAddress?) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withSocketAddress(&storage) { recvfrom(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT), $0, &length) }
        }
        guard count >= 0 else { return (-Int(errno), nil) }
        let source = withUnsafeBytes(of: &storage) { address(fromSocketAddress: $0)?.address }
        return (count, source)
    }
}
