import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The SYN scanner's only door to the C library: the raw send socket, the `AF_PACKET` capture
/// socket with its BPF filter, the route-source lookup and `poll`. Constants from
/// `<linux/if_packet.h>` and `<linux/filter.h>` are spelled out because Glibc's Swift module
/// does not export those headers.
enum RawSocketSystem {
    private static let packetFamily: Int32 = 17  // AF_PACKET
    private static let etherTypeIPv4: UInt16 = 0x0800  // ETH_P_IP
    private static let attachFilter: Int32 = 26  // SO_ATTACH_FILTER
    private static let receiveBufferForce: Int32 = 33  // SO_RCVBUFFORCE
    private static let packetOutgoing: UInt8 = 4  // PACKET_OUTGOING

    /// errno values the engine distinguishes.
    enum Errno {
        static let notPermitted = EPERM
        static let accessDenied = EACCES
        static let noBuffers = ENOBUFS
        static let again = EAGAIN
        static let networkUnreachable = ENETUNREACH
        static let hostUnreachable = EHOSTUNREACH
        static let networkDown = ENETDOWN
    }

    /// The text of an errno value.
    static func describe(errno code: Int32) -> String {
        SystemCalls.describe(errno: code)
    }

    /// Opens the `IPPROTO_RAW` send socket (the caller builds IP and TCP headers).
    /// - Returns: the fd, or the negated errno.
    static func openSendSocket() -> Int32 {
        let type = Int32(SOCK_RAW.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(AF_INET, type, Int32(IPPROTO_RAW))
        return fd >= 0 ? fd : -errno
    }

    /// Opens the `AF_PACKET`/`SOCK_DGRAM` capture socket for IPv4, attaches `program`, grows the
    /// receive buffer and drains what arrived before the filter was in place.
    /// - Returns: the fd, or the negated errno.
    static func openCaptureSocket(program: [SYNCaptureFilter.Instruction]) -> Int32 {
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(packetFamily, type, Int32(etherTypeIPv4.bigEndian))
        guard fd >= 0 else { return -errno }
        var instructions = [UInt8](repeating: 0, count: program.count * 8)
        instructions.withUnsafeMutableBytes { raw in
            for (index, instruction) in program.enumerated() {
                raw.storeBytes(of: instruction.code, toByteOffset: index * 8, as: UInt16.self)
                raw[index * 8 + 2] = instruction.jumpTrue
                raw[index * 8 + 3] = instruction.jumpFalse
                raw.storeBytes(of: instruction.constant, toByteOffset: index * 8 + 4, as: UInt32.self)
            }
        }
        let status = instructions.withUnsafeMutableBytes { raw -> Int32 in
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            var fprog = [UInt8](repeating: 0, count: 16)
            fprog.withUnsafeMutableBytes { header in
                header.storeBytes(of: UInt16(program.count), toByteOffset: 0, as: UInt16.self)
                header.storeBytes(of: raw.baseAddress, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
            }
            return fprog.withUnsafeBytes { setsockopt(fd, SOL_SOCKET, attachFilter, $0.baseAddress, 16) }
        }
        guard status == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            return -code
        }
        var size: Int32 = 8 << 20
        if setsockopt(fd, SOL_SOCKET, receiveBufferForce, &size, 4) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, 4)
        }
        var scratch = [UInt8](repeating: 0, count: 2048)
        while scratch.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }) >= 0 {}
        return fd
    }

    /// The source address the kernel would use towards `destination` (a connected UDP socket and
    /// `getsockname`; nothing is sent).
    /// - Returns: the address (host byte order), or the negated errno as `.failure`.
    static func routeSource(to destination: UInt32) -> Result<UInt32, RouteError> {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(RouteError(code: errno)) }
        defer { _ = Glibc.close(fd) }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = UInt16(9).bigEndian
        target.sin_addr.s_addr = destination.bigEndian
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return .failure(RouteError(code: errno)) }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return .failure(RouteError(code: errno)) }
        return .success(UInt32(bigEndian: local.sin_addr.s_addr))
    }

    /// An errno from the route lookup.
    struct RouteError: Error {
        let code: Int32
    }

    /// Sends one built packet to `destination`. - Returns: 0 or the errno.
    static func send(_ fd: Int32, _ packet: UnsafeRawBufferPointer, to destination: UInt32) -> Int32 {
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_addr.s_addr = destination.bigEndian
        let sent = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, packet.baseAddress, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return sent >= 0 ? 0 : errno
    }

    /// Reads one captured packet without blocking, skipping our own outgoing packets (on `lo` the
    /// capture sees both directions).
    /// - Returns: the packet length, 0 for a skipped packet, or -1 when nothing is queued.
    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), $0, &length)
            }
        }
        guard count >= 0 else { return -1 }
        // struct sockaddr_ll: family(2) protocol(2) ifindex(4) hatype(2) pkttype(1) …
        let packetType = withUnsafeBytes(of: &address) { $0[10] }
        return packetType == packetOutgoing ? 0 : count
    }

    /// Waits until `fd` is readable or `milliseconds` passed.
    static func waitReadable(_ fd: Int32, milliseconds: Int32) {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, milliseconds)
    }

    /// Closes a descriptor.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}
