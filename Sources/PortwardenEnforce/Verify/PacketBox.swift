import PortwardenCore

/// A set of new TCP/UDP connection attempts of one address family: sources × destinations ×
/// services, where a service is `(protocol << 16) | port` for TCP and UDP. The analysis walks
/// rules with boxes; everything that is not a new TCP/UDP connection (replies, ICMP, loopback)
/// is outside the port policy and outside every box.
public struct PacketBox: Hashable, Sendable {
    public var family: AddressFamily
    public var sources: IntervalSet
    public var destinations: IntervalSet
    public var services: IntervalSet

    public init(family: AddressFamily, sources: IntervalSet, destinations: IntervalSet, services: IntervalSet) {
        self.family = family
        self.sources = sources
        self.destinations = destinations
        self.services = services
    }

    /// Every new TCP/UDP connection of the family.
    public static func all(_ family: AddressFamily) -> PacketBox {
        PacketBox(family: family, sources: family.all, destinations: family.all, services: Service.all)
    }

    public var isEmpty: Bool { sources.isEmpty || destinations.isEmpty || services.isEmpty }

    public func intersection(_ other: PacketBox) -> PacketBox? {
        guard family == other.family else { return nil }
        let box = PacketBox(
            family: family, sources: sources.intersection(other.sources),
            destinations: destinations.intersection(other.destinations), services: services.intersection(other.services)
        )
        return box.isEmpty ? nil : box
    }

    /// Whether every packet of `other` is in this box.
    public func contains(_ other: PacketBox) -> Bool {
        family == other.family && sources.contains(other.sources) && destinations.contains(other.destinations)
            && services.contains(other.services)
    }

    /// The service dimension's encoding.
    public enum Service {
        public static let tcp: UInt128 = 6 << 16
        public static let udp: UInt128 = 17 << 16
        public static let allTCP = IntervalSet(tcp...(tcp + 65535))
        public static let allUDP = IntervalSet(udp...(udp + 65535))
        public static let all = allTCP.union(allUDP)

        /// The services of one transport's ports; values above 65535 (a port match on a set of other values
        /// in a ruleset file) are no ports and are left out.
        public static func ports(_ transport: Transport, _ ports: IntervalSet) -> IntervalSet {
            let base = transport == .tcp ? tcp : udp
            return IntervalSet(
                ports.ranges.compactMap {
                    $0.lowerBound > 65535 ? nil : (base + $0.lowerBound)...(base + min($0.upperBound, 65535))
                })
        }

        /// A service value as `tcp/22`.
        public static func describe(_ value: UInt128) -> String {
            "\(value >> 16 == 6 ? "tcp" : "udp")/\(value & 0xFFFF)"
        }

        /// The transport and port of a service value.
        public static func split(_ value: UInt128) -> (Transport, UInt16) {
            (value >> 16 == 6 ? .tcp : .udp, UInt16(truncatingIfNeeded: value & 0xFFFF))
        }
    }
}
