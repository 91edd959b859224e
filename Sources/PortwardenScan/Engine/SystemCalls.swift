import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The module's only door to the C library: sockets, epoll, rlimits, the monotonic clock and
/// threads. Everything else in PortwardenScan speaks in Swift types and plain errno values.
enum SystemCalls {
    /// errno values the engine classifies (named so that no other file needs Glibc).
    enum Errno {
        static let inProgress = EINPROGRESS
        static let connectionRefused = ECONNREFUSED
        static let timedOut = ETIMEDOUT
        static let hostUnreachable = EHOSTUNREACH
        static let networkUnreachable = ENETUNREACH
        static let accessDenied = EACCES
        static let noProtocolOption = ENOPROTOOPT
        static let noNetwork = ENONET
        static let hostDown = EHOSTDOWN
        static let notPermitted = EPERM
        static let addressNotAvailable = EADDRNOTAVAIL
        static let tooManyFiles = EMFILE
        static let tableFull = ENFILE
        static let noBuffers = ENOBUFS
        static let again = EAGAIN
        static let networkDown = ENETDOWN
        static let interrupted = EINTR
        static let connectionReset = ECONNRESET
        static let alreadyInProgress = EALREADY
    }

    /// The text of an errno value (`strerror`).
    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }

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
        if ipv6 {
            var on: Int32 = 1
            guard setsockopt(fd, ipv6Level, ipv6RecvErr, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                let code = errno
                _ = Glibc.close(fd)
                return -code
            }
        }
        return fd
    }

    /// `SOL_IPV6` / `IPV6_RECVERR` (`<linux/in6.h>`; not exported by the Glibc module).
    private static let ipv6Level: Int32 = 41
    private static let ipv6RecvErr: Int32 = 25

    /// Sets `SO_LINGER {1, 0}` and closes: a connected socket sends RST and leaves no TIME_WAIT.
    static func closeAbortively(_ fd: Int32) {
        var linger = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        _ = Glibc.close(fd)
    }

    /// Starts a connection to `address:port`.
    /// - Returns: 0 when connected at once, otherwise the errno (`EINPROGRESS` when pending).
    static func connect(_ fd: Int32, to address: IPAddress, port: UInt16) -> Int32 {
        let result: Int32
        if address.isIPv4 {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = port.bigEndian
            sa.sin_addr.s_addr = address.ipv4Value.bigEndian
            result = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sa.sin6_addr) { raw in
                var value = address.value
                for index in stride(from: 15, through: 0, by: -1) {
                    raw[index] = UInt8(truncatingIfNeeded: value)
                    value >>= 8
                }
            }
            result = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
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
        return withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
        }
    }

    /// Whether the socket is connected to itself (local address and port equal the peer's): the
    /// kernel's simultaneous open when the source port happens to equal the destination port.
    static func isSelfConnected(_ fd: Int32) -> Bool {
        var local = sockaddr_storage()
        var peer = sockaddr_storage()
        var localLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &local) { l in
            withUnsafeMutablePointer(to: &peer) { p in
                l.withMemoryRebound(to: sockaddr.self, capacity: 1) { ls in
                    p.withMemoryRebound(to: sockaddr.self, capacity: 1) { ps in
                        getsockname(fd, ls, &localLength) == 0 && getpeername(fd, ps, &peerLength) == 0
                    }
                }
            }
        }
        guard ok, localLength == peerLength else { return false }
        let size = Int(localLength)
        return withUnsafeBytes(of: &local) { a in
            withUnsafeBytes(of: &peer) { b in a.prefix(size).elementsEqual(b.prefix(size)) }
        }
    }

    /// Closes a descriptor.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    // MARK: epoll
    // Glibc's Swift module does not export <sys/epoll.h>, so the three calls are declared by
    // symbol below, and events are read from a raw buffer with the kernel's layout.

    /// `struct epoll_event` is packed (12 bytes) on x86_64 and naturally aligned (16) elsewhere.
    #if arch(x86_64)
    private static let eventStride = 12
    private static let eventDataOffset = 4
    #else
    private static let eventStride = 16
    private static let eventDataOffset = 8
    #endif

    /// The events the engine waits for on a connecting socket: EPOLLOUT | EPOLLERR | EPOLLHUP.
    static let connectEvents: UInt32 = 0x004 | 0x008 | 0x010

    /// Creates an epoll instance. - Returns: the fd or the negated errno.
    static func epollCreate() -> Int32 {
        let fd = systemEpollCreate1(O_CLOEXEC)
        return fd >= 0 ? fd : -errno
    }

    /// Registers `fd` for connect completion. - Returns: 0 or the errno.
    static func epollAdd(_ epoll: Int32, _ fd: Int32) -> Int32 {
        var event = [UInt8](repeating: 0, count: eventStride)
        event.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: connectEvents, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: fd, toByteOffset: eventDataOffset, as: Int32.self)
        }
        let result = event.withUnsafeMutableBytes { systemEpollCtl(epoll, 1, fd, $0.baseAddress) }
        return result == 0 ? 0 : errno
    }

    /// A reusable buffer of epoll events.
    struct EventBuffer {
        fileprivate var bytes: [UInt8]
        fileprivate let capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            bytes = [UInt8](repeating: 0, count: capacity * SystemCalls.eventStride)
        }
    }

    /// Waits up to `timeoutMilliseconds` and calls `body` with each ready fd.
    /// - Returns: the errno of a failed wait (EINTR is not an error), or 0.
    static func epollWait(
        _ epoll: Int32, _ buffer: inout EventBuffer, timeoutMilliseconds: Int32, _ body: (Int32) -> Void
    ) -> Int32 {
        let capacity = Int32(buffer.capacity)
        let count = buffer.bytes.withUnsafeMutableBytes {
            systemEpollWait(epoll, $0.baseAddress, capacity, timeoutMilliseconds)
        }
        if count < 0 { return errno == EINTR ? 0 : errno }
        buffer.bytes.withUnsafeBytes { raw in
            for index in 0..<Int(count) {
                body(raw.loadUnaligned(fromByteOffset: index * eventStride + eventDataOffset, as: Int32.self))
            }
        }
        return 0
    }

    // MARK: limits, clock, threads

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit. - Returns: the soft limit now in force.
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > UInt(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }

    /// Nanoseconds on `CLOCK_MONOTONIC`.
    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Seconds since 1970 on the real-time clock.
    static func wallClockSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Runs `body` on a new detached POSIX thread with an 8 MiB stack.
    /// - Returns: false when the thread could not be created.
    static func detachThread(_ body: @escaping @Sendable () -> Void) -> Bool {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let status = pthread_create(
            &thread, &attributes,
            { raw in
                guard let raw else { return nil }
                Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            }, context)
        if status != 0 {
            Unmanaged<Box>.fromOpaque(context).release()
            return false
        }
        return true
    }
}

@_silgen_name("epoll_create1")
private func systemEpollCreate1(_ flags: Int32) -> Int32

@_silgen_name("epoll_ctl")
private func systemEpollCtl(
    _ epoll: Int32, _ operation: Int32, _ fd: Int32, _ event: UnsafeMutableRawPointer?
)
    -> Int32

@_silgen_name("epoll_wait")
private func systemEpollWait(
    _ epoll: Int32, _ events: UnsafeMutableRawPointer?, _ capacity: Int32, _ timeout: Int32
) -> Int32
