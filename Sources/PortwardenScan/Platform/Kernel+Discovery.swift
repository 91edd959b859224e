import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// What host discovery needs beyond the transports' sockets: ICMP sockets (raw, or the
/// unprivileged "ping" datagram socket) and reading a small procfs file (`/proc/net/arp`).
extension Kernel {
    /// Opens a non-blocking ICMP (or ICMPv6) socket: raw when allowed (root or `CAP_NET_RAW`),
    /// otherwise the datagram "ping" socket when `net.ipv4.ping_group_range` admits our group.
    /// - Returns: the fd and whether it is raw, or the errno of the last attempt.
    static func openICMPSocket(ipv6: Bool) -> Result<(fd: Int32, raw: Bool), Failure> {
        let family = ipv6 ? AF_INET6 : AF_INET
        let proto = ipv6 ? Int32(IPPROTO_ICMPV6) : Int32(IPPROTO_ICMP)
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let raw = socket(family, Int32(SOCK_RAW.rawValue) | flags, proto)
        if raw >= 0 { return .success((raw, true)) }
        let ping = socket(family, Int32(SOCK_DGRAM.rawValue) | flags, proto)
        if ping >= 0 { return .success((ping, false)) }
        return .failure(Failure(code: errno))
    }

    /// The whole content of a small file (procfs), or `nil` when it cannot be read.
    static func readSmallFile(_ path: String, limit: Int = 16 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = Glibc.close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while out.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { break }
            out.append(contentsOf: chunk[0..<count])
        }
        return out
    }
}

extension Kernel.Errno {
    /// `EINVAL`: a route lookup towards a blackhole route.
    static let invalidArgument = EINVAL
}
