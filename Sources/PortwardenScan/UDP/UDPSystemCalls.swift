import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The UDP engine's only door to the C library: connected UDP sockets with `IP_RECVERR`, the
/// error queue, epoll and the monotonic clock. Every other file of `UDP/` speaks in Swift types
/// and plain errno values.
enum UDPSystemCalls {
    /// errno values the engine classifies (named so that no other file needs Glibc).
    enum Errno {
        static let connectionRefused = ECONNREFUSED
        static let hostUnreachable = EHOSTUNREACH
        static let networkUnreachable = ENETUNREACH
        static let accessDenied = EACCES
        static let notPermitted = EPERM
        static let addressNotAvailable = EADDRNOTAVAIL
        static let tooManyFiles = EMFILE
        static let tableFull = ENFILE
        static let noBuffers = ENOBUFS
        static let again = EAGAIN
        static let networkDown = ENETDOWN
        static let interrupted = EINTR
        static let messageTooLong = EMSGSIZE
        static let noProtocolOption = ENOPROTOOPT
        static let hostDown = EHOSTDOWN
    }

    /// `SOL_IP` / `IP_RECVERR` and `SOL_IPV6` / `IPV6_RECVERR`: the control-message level and
    /// type of an error-queue entry (`<linux/in.h>`, `<linux/in6.h>`).
    static let ipLevel: Int32 = 0
    static let ipRecvErr: Int32 = 11
    static let ipv6Level: Int32 = 41
    static let ipv6RecvErr: Int32 = 25

    /// The text of an errno value (`strerror`).
    static func describe(errno code: Int32) -> String {
        SystemCalls.describe(errno: code)
    }

    /// Opens a non-blocking, close-on-exec UDP socket with `IP_RECVERR` (or `IPV6_RECVERR`) set,
    /// so that every ICMP error, soft ones included, is queued for ``receiveError(_:)``.
    /// - Returns: the fd, or the negated errno.
    static func openUDPSocket(ipv6: Bool) -> Int32 {
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, type, 0)
        guard fd >= 0 else { return -errno }
        var on: Int32 = 1
        let level = ipv6 ? ipv6Level : ipLevel
        let option = ipv6 ? ipv6RecvErr : ipRecvErr
        guard setsockopt(fd, level, option, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            let code = errno
            Glibc.close(fd)
            return -code
        }
        if ipv6 {
            // An IPv6 socket must not also accept IPv4-mapped traffic: the target family is known.
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        return fd
    }

    /// Connects `fd` to `address:port` (for UDP this only fixes the peer).
    /// - Returns: 0, or the errno.
    static func connect(_ fd: Int32, to address: IPAddress, port: UInt16) -> Int32 {
        SystemCalls.connect(fd, to: address, port: port)
    }

    /// Sends one datagram on a connected socket.
    /// - Returns: 0, or the errno.
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        let sent = bytes.withUnsafeBytes { raw in
            Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
        }
        return sent >= 0 ? 0 : errno
    }

    /// Binds an unconnected socket to the wildcard address and an ephemeral port, so that
    /// ``sendTo(_:_:address:port:)`` and replies from any source port work.
    /// - Returns: 0, or the errno.
    static func bindEphemeral(_ fd: Int32, ipv6: Bool) -> Int32 {
        var storage = sockaddr_storage()
        storage.ss_family = sa_family_t(ipv6 ? AF_INET6 : AF_INET)
        let length = socklen_t(ipv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        return result == 0 ? 0 : errno
    }

    /// Sends one datagram on an unconnected socket to `address:port`.
    /// - Returns: 0, or the errno.
    static func sendTo(_ fd: Int32, _ bytes: [UInt8], address: IPAddress, port: UInt16) -> Int32 {
        var storage = sockaddr_storage()
        let length = fill(&storage, address: address, port: port)
        let sent = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent >= 0 ? 0 : errno
    }

    /// Writes `address:port` into a `sockaddr_storage`.
    /// - Returns: the length of the address structure.
    private static func fill(_ storage: inout sockaddr_storage, address: IPAddress, port: UInt16) -> socklen_t {
        withUnsafeMutableBytes(of: &storage) { raw in
            for index in raw.indices { raw[index] = 0 }
            if address.isIPv4 {
                raw[0] = UInt8(truncatingIfNeeded: AF_INET)
                raw[2] = UInt8(port >> 8)
                raw[3] = UInt8(port & 0xFF)
                for index in 0..<4 { raw[4 + index] = UInt8(truncatingIfNeeded: address.ipv4Value >> (24 - 8 * index)) }
                return socklen_t(MemoryLayout<sockaddr_in>.size)
            }
            raw[0] = UInt8(truncatingIfNeeded: AF_INET6)
            raw[2] = UInt8(port >> 8)
            raw[3] = UInt8(port & 0xFF)
            for index in 0..<16 { raw[8 + index] = UInt8(truncatingIfNeeded: address.value >> (120 - 8 * index)) }
            return socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
    }

    /// Reads one datagram into `buffer`, with the address it came from.
    /// - Returns: the datagram's length (or the negated errno, `-EAGAIN` when none is queued) and
    ///   the sender's address.
    static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> (count: Int, source: IPAddress?) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT), $0, &length)
                }
            }
        }
        guard count >= 0 else { return (-Int(errno), nil) }
        let source = withUnsafeBytes(of: &storage) { raw -> IPAddress? in
            let family = Int32(UInt16(raw[0]) | UInt16(raw[1]) << 8)
            if family == AF_INET {
                var value: UInt32 = 0
                for index in 4..<8 { value = value << 8 | UInt32(raw[index]) }
                return IPAddress(ipv4: value)
            }
            if family == AF_INET6 {
                var value: UInt128 = 0
                for index in 8..<24 { value = value << 8 | UInt128(raw[index]) }
                return IPAddress(ipv6: value)
            }
            return nil
        }
        return (count, source)
    }

    /// Dequeues one entry of the socket's error queue (`recvmsg(MSG_ERRQUEUE)`).
    /// - Returns: the raw control-message bytes (parse them with ``UDPErrorQueueEntry/parse(control:)``),
    ///   an empty array when the queue is empty, or `nil` on another error.
    static func receiveError(_ fd: Int32) -> [UInt8]? {
        var control = [UInt8](repeating: 0, count: 512)
        var payload = [UInt8](repeating: 0, count: 64)
        let (count, controlLength) = payload.withUnsafeMutableBytes { data in
            control.withUnsafeMutableBytes { ctl in
                var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = ctl.baseAddress
                    message.msg_controllen = ctl.count
                    let received = recvmsg(fd, &message, Int32(MSG_ERRQUEUE | MSG_DONTWAIT))
                    return (received, Int(message.msg_controllen))
                }
            }
        }
        if count < 0 {
            let code = errno
            return code == EAGAIN || code == EWOULDBLOCK ? [] : nil
        }
        return Array(control.prefix(min(controlLength, control.count)))
    }

    /// Closes a socket.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Nanoseconds of `CLOCK_MONOTONIC`.
    static func monotonicNanoseconds() -> UInt64 {
        SystemCalls.monotonicNanoseconds()
    }
}

/// An epoll instance watching UDP sockets for datagrams (`EPOLLIN`) and queued errors (`EPOLLERR`).
///
/// Glibc's Swift module does not export `<sys/epoll.h>`, so the calls are declared below with
/// `@_silgen_name` and `struct epoll_event` is handled as bytes: `{ uint32_t events; uint64_t data; }`,
/// packed (12 bytes, data at 4) on x86_64 and naturally aligned (16 bytes, data at 8) elsewhere.
final class UDPEpoll {
    #if arch(x86_64)
    static let eventSize = 12
    static let dataOffset = 4
    #else
    static let eventSize = 16
    static let dataOffset = 8
    #endif
    static let input: UInt32 = 0x001  // EPOLLIN
    static let error: UInt32 = 0x008  // EPOLLERR
    static let cloexec: Int32 = 0o2000000  // EPOLL_CLOEXEC == O_CLOEXEC
    static let controlAdd: Int32 = 1  // EPOLL_CTL_ADD
    static let controlDelete: Int32 = 2  // EPOLL_CTL_DEL

    private let fd: Int32
    private let capacity: Int
    private var events: [UInt8]

    /// Creates the epoll instance.
    /// - Throws: ``UDPScanError`` when the kernel refuses.
    init(capacity: Int) throws(UDPScanError) {
        fd = udpEpollCreate1(Self.cloexec)
        guard fd >= 0 else {
            throw UDPScanError(.epollFailed, detail: UDPSystemCalls.describe(errno: errno))
        }
        self.capacity = max(16, capacity)
        events = [UInt8](repeating: 0, count: self.capacity * Self.eventSize)
    }

    deinit { _ = Glibc.close(fd) }

    /// Watches `socket` for input and errors, level-triggered.
    /// - Returns: 0, or the errno.
    func add(_ socket: Int32) -> Int32 {
        var event = [UInt8](repeating: 0, count: Self.eventSize)
        let mask = Self.input | Self.error
        for index in 0..<4 { event[index] = UInt8(truncatingIfNeeded: mask >> (8 * UInt32(index))) }
        let data = UInt32(bitPattern: socket)
        for index in 0..<4 { event[Self.dataOffset + index] = UInt8(truncatingIfNeeded: data >> (8 * UInt32(index))) }
        let result = event.withUnsafeMutableBytes { udpEpollCtl(fd, Self.controlAdd, socket, $0.baseAddress) }
        return result == 0 ? 0 : errno
    }

    /// Stops watching `socket` (closing it does that too).
    func remove(_ socket: Int32) {
        _ = udpEpollCtl(fd, Self.controlDelete, socket, nil)
    }

    /// Waits up to `timeoutMilliseconds` and calls `body` with each ready socket.
    /// - Returns: 0, or the errno (`EINTR` is swallowed).
    func wait(timeoutMilliseconds: Int32, _ body: (Int32) -> Void) -> Int32 {
        let capacity = Int32(capacity)
        let count = events.withUnsafeMutableBytes { udpEpollWait(fd, $0.baseAddress, capacity, timeoutMilliseconds) }
        if count < 0 { return errno == EINTR ? 0 : errno }
        for index in 0..<Int(count) {
            let base = index * Self.eventSize + Self.dataOffset
            var data: UInt32 = 0
            for byte in (0..<4).reversed() { data = data << 8 | UInt32(events[base + byte]) }
            body(Int32(bitPattern: data))
        }
        return 0
    }
}

@_silgen_name("epoll_create1")
private func udpEpollCreate1(_ flags: Int32) -> Int32

@_silgen_name("epoll_ctl")
private func udpEpollCtl(_ epoll: Int32, _ operation: Int32, _ fd: Int32, _ event: UnsafeMutableRawPointer?) -> Int32

@_silgen_name("epoll_wait")
private func udpEpollWait(
    _ epoll: Int32, _ events: UnsafeMutableRawPointer?, _ capacity: Int32, _ timeout: Int32
) -> Int32
