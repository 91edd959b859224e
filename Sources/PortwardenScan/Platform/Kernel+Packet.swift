import CPortwardenLinux
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// Raw IP sockets, `AF_PACKET` capture sockets with a classic BPF filter (`<linux/filter.h>`,
/// `<linux/if_packet.h>`) and the route-source lookup.
extension Kernel {
    /// One classic BPF instruction (`struct sock_filter`), as Swift code builds programs.
    struct FilterInstruction: Sendable, Hashable {
        var code: UInt16
        var jumpTrue: UInt8
        var jumpFalse: UInt8
        var constant: UInt32
    }

    /// Classic BPF opcodes the capture filters use (`BPF_*` of `<linux/filter.h>`).
    enum BPF {
        static let loadByteAbsolute = UInt16(BPF_LD | BPF_B | BPF_ABS)
        static let loadHalfAbsolute = UInt16(BPF_LD | BPF_H | BPF_ABS)
        static let loadHeaderLengthToX = UInt16(BPF_LDX | BPF_B | BPF_MSH)
        static let loadHalfIndexed = UInt16(BPF_LD | BPF_H | BPF_IND)
        static let loadByteIndexed = UInt16(BPF_LD | BPF_B | BPF_IND)
        static let jumpEqual = UInt16(BPF_JMP | BPF_JEQ | BPF_K)
        static let jumpGreaterOrEqual = UInt16(BPF_JMP | BPF_JGE | BPF_K)
        static let jumpGreater = UInt16(BPF_JMP | BPF_JGT | BPF_K)
        static let jumpSet = UInt16(BPF_JMP | BPF_JSET | BPF_K)
        static let andConstant = UInt16(BPF_ALU | BPF_AND | BPF_K)
        static let returnConstant = UInt16(BPF_RET | BPF_K)
    }

    /// Opens the `IPPROTO_RAW` send socket (the caller builds IP and transport headers).
    /// - Returns: the fd, or the negated errno.
    static func openRawSendSocket() -> Int32 {
        let type = Int32(SOCK_RAW.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(AF_INET, type, Int32(IPPROTO_RAW))
        return fd >= 0 ? fd : -errno
    }

    /// Opens an `AF_PACKET`/`SOCK_DGRAM` capture socket for `etherType` (`ETH_P_IP` by default),
    /// attaches `program`, grows the receive buffer and drains what arrived before the filter
    /// was in place. - Returns: the fd, or the negated errno.
    static func openCaptureSocket(program: [FilterInstruction], etherType: Int32 = ETH_P_IP) -> Int32 {
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(AF_PACKET, type, Int32(UInt16(etherType).bigEndian))
        guard fd >= 0 else { return -errno }
        var filters = program.map { sock_filter(code: $0.code, jt: $0.jumpTrue, jf: $0.jumpFalse, k: $0.constant) }
        let status = filters.withUnsafeMutableBufferPointer { instructions -> Int32 in
            var fprog = sock_fprog(len: UInt16(instructions.count), filter: instructions.baseAddress)
            return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, socklen_t(MemoryLayout<sock_fprog>.size))
        }
        guard status == 0 else {
            let code = errno
            close(fd)
            return -code
        }
        let size: Int32 = 8 << 20
        if !setOption(fd, level: SOL_SOCKET, option: SO_RCVBUFFORCE, value: size) {
            _ = setOption(fd, level: SOL_SOCKET, option: SO_RCVBUF, value: size)
        }
        var scratch = [UInt8](repeating: 0, count: 2048)
        while scratch.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }) >= 0 {}
        return fd
    }

    /// The source address the kernel would use towards `destination` (a connected UDP socket and
    /// `getsockname`; nothing is sent).
    static func routeSource(to destination: IPAddress) -> Result<IPAddress, Failure> {
        let family = destination.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(Failure(code: errno)) }
        defer { close(fd) }
        let connected = connect(fd, to: destination, port: 9)
        guard connected == 0 else { return .failure(Failure(code: connected)) }
        var local = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        guard withSocketAddress(&local, { getsockname(fd, $0, &length) }) == 0 else {
            return .failure(Failure(code: errno))
        }
        guard let source = withUnsafeBytes(of: &local, { address(fromSocketAddress: $0) }) else {
            return .failure(Failure(code: EAFNOSUPPORT))
        }
        return .success(source.address)
    }

    /// Reads one captured packet without blocking, skipping our own outgoing packets (on `lo` the
    /// capture sees both directions).
    /// - Returns: the packet length, 0 for a skipped packet, or -1 when nothing is queued.
    static func receivePacket(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var link = sockaddr_ll()
        var length = socklen_t(MemoryLayout<sockaddr_ll>.size)
        let count = withUnsafeMutablePointer(to: &link) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), $0, &length)
            }
        }
        guard count >= 0 else { return -1 }
        return link.sll_pkttype == UInt8(PACKET_OUTGOING) ? 0 : count
    }
}
