import CPortwardenLinux
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// `struct sockaddr_in` / `sockaddr_in6` to and from ``IPAddress``.
extension Kernel {
    /// Writes `address:port` into `storage`. - Returns: the length of the address structure.
    static func fill(_ storage: inout sockaddr_storage, address: IPAddress, port: UInt16) -> socklen_t {
        storage = sockaddr_storage()
        return withUnsafeMutableBytes(of: &storage) { raw -> socklen_t in
            if address.isIPv4 {
                var sa = sockaddr_in()
                sa.sin_family = sa_family_t(AF_INET)
                sa.sin_port = port.bigEndian
                sa.sin_addr.s_addr = address.ipv4Value.bigEndian
                raw.storeBytes(of: sa, as: sockaddr_in.self)
                return socklen_t(MemoryLayout<sockaddr_in>.size)
            }
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sa.sin6_addr) { bytes in
                var value = address.value
                for index in stride(from: 15, through: 0, by: -1) {
                    bytes[index] = UInt8(truncatingIfNeeded: value)
                    value >>= 8
                }
            }
            raw.storeBytes(of: sa, as: sockaddr_in6.self)
            return socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
    }

    /// Reads the address and port of a `sockaddr_in` or `sockaddr_in6` at the start of `raw`;
    /// `nil` for another family or too few bytes.
    static func address(fromSocketAddress raw: UnsafeRawBufferPointer) -> (address: IPAddress, port: UInt16)? {
        guard raw.count >= MemoryLayout<sa_family_t>.size else { return nil }
        let family = Int32(raw.loadUnaligned(as: sa_family_t.self))
        if family == AF_INET, raw.count >= MemoryLayout<sockaddr_in>.size {
            let sa = raw.loadUnaligned(as: sockaddr_in.self)
            return (IPAddress(ipv4: UInt32(bigEndian: sa.sin_addr.s_addr)), UInt16(bigEndian: sa.sin_port))
        }
        if family == AF_INET6, raw.count >= MemoryLayout<sockaddr_in6>.size {
            var sa = raw.loadUnaligned(as: sockaddr_in6.self)
            let value = withUnsafeBytes(of: &sa.sin6_addr) { bytes in
                bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
            }
            return (IPAddress(ipv6: value), UInt16(bigEndian: sa.sin6_port))
        }
        return nil
    }

    /// Calls `body` with `storage` seen as a `sockaddr`.
    static func withSocketAddress<T>(
        _ storage: inout sockaddr_storage, _ body: (UnsafeMutablePointer<sockaddr>) -> T
    ) -> T {
        withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
    }
}
