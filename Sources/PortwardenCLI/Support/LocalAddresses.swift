import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The addresses of this machine's interfaces (in the calling thread's network namespace).
enum LocalAddresses {
    static func all() -> [IPAddress] {
        var head: UnsafeMutablePointer<ifaddrs>? = nil
        guard getifaddrs(&head) == 0, let first = head else { return [] }
        defer { freeifaddrs(head) }
        var out: [IPAddress] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let sa = entry.pointee.ifa_addr else { continue }
            switch Int32(sa.pointee.sa_family) {
            case AF_INET:
                let value = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                out.append(IPAddress(ipv4: UInt32(bigEndian: value)))
            case AF_INET6:
                let bytes = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
                var value: UInt128 = 0
                for byte in bytes { value = value << 8 | UInt128(byte) }
                out.append(IPAddress(ipv6: value))
            default:
                continue
            }
        }
        return out
    }

    /// The zone this machine scans from: the zone holding one of its non-loopback addresses, else one
    /// holding a loopback address, else `nil`.
    static func vantageZone(in policy: Policy) -> String? {
        let table = PrefixTable(policy.zones.flatMap { zone in zone.prefixes.map { ($0, zone.id) } })
        let addresses = all()
        if let zone = addresses.filter({ !$0.isLoopback }).lazy.compactMap({ table[$0] }).first { return zone }
        return addresses.lazy.compactMap { table[$0] }.first
    }
}
