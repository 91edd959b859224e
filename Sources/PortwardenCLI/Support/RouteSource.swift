import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The local address the kernel's routing picks for traffic to a destination: a UDP socket is
/// connected (which sends nothing) and its local address read back.
enum RouteSource {
    /// - Returns: `nil` when there is no route to `destination` from this namespace.
    static func towards(_ destination: IPAddress) -> IPAddress? {
        let family = destination.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if destination.isIPv4 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(9).bigEndian
            address.sin_addr.s_addr = destination.ipv4Value.bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { return nil }
            var local = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            guard named == 0 else { return nil }
            return IPAddress(ipv4: UInt32(bigEndian: local.sin_addr.s_addr))
        }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = in_port_t(9).bigEndian
        withUnsafeMutableBytes(of: &address.sin6_addr) { bytes in
            for index in 0..<16 {
                bytes[index] = UInt8(truncatingIfNeeded: destination.value >> UInt128((15 - index) * 8))
            }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
        guard connected == 0 else { return nil }
        var local = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let named = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        var value: UInt128 = 0
        withUnsafeBytes(of: local.sin6_addr) { for byte in $0 { value = value << 8 | UInt128(byte) } }
        return IPAddress(ipv6: value)
    }
}
