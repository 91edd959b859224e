import PortwardenCore

/// What a rule matches on, as far as Portwarden's analysis distinguishes it.
public enum NftField: Hashable, Sendable, CustomStringConvertible {
    /// `ip saddr`, `ip6 daddr`, …
    case address(AddressFamily, source: Bool)
    /// `tcp dport`, `udp sport`, `th dport` (protocol `th`: any transport header).
    case port(String, source: Bool)
    /// `meta l4proto` (and `ip protocol` / `ip6 nexthdr`, which mean the same for the analysis).
    case l4proto
    /// `meta nfproto` (the address family of an `inet` chain's packet).
    case nfproto
    /// `ct state`.
    case ctState
    /// `iifname`, `oifname`, `iif`, `oif` (interface names; `iif`/`oif` compare indexes by name).
    case interface(String)
    /// Anything else the reader recognises as a match but the analysis does not interpret, named
    /// as nftables writes it (`meta mark`, `icmpv6 type`, `ct mark`).
    case other(String)

    public var description: String {
        switch self {
        case .address(let family, let source): return "\(family.payloadProtocol) \(source ? "saddr" : "daddr")"
        case .port(let proto, let source): return "\(proto) \(source ? "sport" : "dport")"
        case .l4proto: return "meta l4proto"
        case .nfproto: return "meta nfproto"
        case .ctState: return "ct state"
        case .interface(let key): return key
        case .other(let name): return name
        }
    }
}

/// The right-hand side of a match.
public enum NftValue: Hashable, Sendable {
    /// Numbers or addresses (single values, ranges, prefixes, anonymous sets), merged.
    case intervals(IntervalSet)
    /// Symbolic values (ct states, interface names), sorted.
    case names([String])
    /// A named set of the same table, `@name`.
    case setReference(String)

    /// Whether the value names a set (testing it means looking the set up).
    var isSetReference: Bool {
        if case .setReference = self { return true }
        return false
    }
}

/// One comparison of a rule: `field == value` or `field != value`.
public struct NftMatch: Hashable, Sendable {
    public var field: NftField
    public var negated: Bool
    public var value: NftValue

    public init(_ field: NftField, _ value: NftValue, negated: Bool = false) {
        self.field = field
        self.value = value
        self.negated = negated
    }
}
