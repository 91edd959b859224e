import PortwardenCore

/// IPv4 or IPv6: the two address spaces a ruleset is analysed in, one at a time.
public enum AddressFamily: String, Hashable, Sendable, CaseIterable, Comparable {
    case ipv4
    case ipv6

    /// The family of an address.
    public init(_ address: IPAddress) { self = address.isIPv4 ? .ipv4 : .ipv6 }

    /// The largest address value of the family.
    public var maximum: UInt128 { self == .ipv4 ? 0xFFFF_FFFF : UInt128.max }

    /// Every address of the family.
    public var all: IntervalSet { .all(upTo: maximum) }

    /// The nftables payload protocol of the family's header (`ip`, `ip6`).
    public var payloadProtocol: String { self == .ipv4 ? "ip" : "ip6" }

    /// The nftables set type of its addresses (`ipv4_addr`, `ipv6_addr`).
    public var setType: String { self == .ipv4 ? "ipv4_addr" : "ipv6_addr" }

    /// The suffix of set names (`v4`, `v6`).
    public var suffix: String { self == .ipv4 ? "v4" : "v6" }

    /// The address with the given value in this family.
    public func address(_ value: UInt128) -> IPAddress { IPAddress(value: value, isIPv4: self == .ipv4) }

    public static func < (lhs: AddressFamily, rhs: AddressFamily) -> Bool { lhs == .ipv4 && rhs == .ipv6 }
}

extension IntervalSet {
    /// The addresses of the prefixes of one family.
    public init(prefixes: [Prefix], family: AddressFamily) {
        self.init(prefixes.filter { AddressFamily($0.network) == family }.map { $0.first...$0.last })
    }

    /// The set as the fewest prefixes covering exactly its addresses (for rendering).
    public func prefixes(family: AddressFamily) -> [Prefix] {
        var out: [Prefix] = []
        let width = family == .ipv4 ? 32 : 128
        for range in ranges {
            var low = range.lowerBound
            while true {
                // The largest aligned block starting at `low` that stays within the range.
                var bits = low == 0 ? width : min(width, low.trailingZeroBitCount)
                while bits > 0 {
                    let size: UInt128 = bits >= 128 ? UInt128.max : (UInt128(1) << UInt128(bits)) - 1
                    if size <= range.upperBound - low { break }
                    bits -= 1
                }
                if let prefix = Prefix(address: family.address(low), length: width - bits) { out.append(prefix) }
                let size: UInt128 = bits >= 128 ? UInt128.max : (UInt128(1) << UInt128(bits)) - 1
                if size >= range.upperBound - low { break }
                low += size + 1
            }
        }
        return out
    }
}
