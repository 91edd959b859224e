import PortwardenCore

extension RuleConstraint {
    /// What one match does to one packet.
    enum PacketOutcome {
        case excluded
        case kept
        case unknown
    }

    /// Whether the rule's matches select `packet`: the answer `apply(_:to:)` gives for the packet's
    /// one-packet box, found by membership tests instead of intersecting interval sets.
    /// - Returns: also whether an uninterpretable match was passed over.
    ///
    /// Matches on named sets are tested last: the rule's matches are a conjunction, so the order does
    /// not change whether it selects the packet (and `uncertain` matters only when it does), while a
    /// literal port or address usually excludes the packet without a set lookup.
    func admits(_ matches: [NftMatch], _ packet: ProbePacket) -> (admitted: Bool, uncertain: Bool) {
        var uncertain = false
        for pass in 0..<2 {
            for match in matches where match.value.isSetReference == (pass == 1) {
                switch keeps(packet, match) {
                case .excluded: return (false, uncertain)
                case .kept: continue
                case .unknown: uncertain = true
                }
            }
        }
        return (true, uncertain)
    }

    /// `narrow(_:_:)` for a single packet; the cases follow it one by one, in the same order.
    func keeps(_ packet: ProbePacket, _ match: NftMatch) -> PacketOutcome {
        // A box's service encodes TCP, and every other transport as UDP (`PacketBox.Service.ports`).
        let transport: Transport = packet.transport == .tcp ? .tcp : .udp
        switch match.field {
        case .address(let family, let source):
            guard family == packet.family else { return .excluded }
            guard let values = intervals(match.value) else { return .unknown }
            return values.contains(source ? packet.source : packet.destination) != match.negated ? .kept : .excluded
        case .port(let proto, let source):
            let carried: Bool
            switch proto {
            case "tcp": carried = transport == .tcp
            case "udp": carried = transport == .udp
            case "th": carried = true
            default: return .excluded
            }
            if source { return carried ? .kept : .excluded }
            guard let ports = intervals(match.value) else { return .unknown }
            guard carried else { return .excluded }
            return ports.contains(UInt128(packet.port)) != match.negated ? .kept : .excluded
        case .l4proto:
            guard let protocols = intervals(match.value) else { return .unknown }
            let number: UInt128 = transport == .tcp ? 6 : 17
            return protocols.contains(number) != match.negated ? .kept : .excluded
        case .nfproto:
            guard let names = names(match.value) else { return .unknown }
            return names.contains(packet.family.rawValue) == match.negated ? .excluded : .kept
        case .ctState:
            guard let names = names(match.value) else { return .unknown }
            return names.contains("new") == match.negated ? .excluded : .kept
        case .interface:
            guard let names = names(match.value) else { return .unknown }
            return !match.negated && names == ["lo"] ? .excluded : .kept
        case .other(let name):
            let header = name.split(separator: " ").first.map(String.init) ?? name
            switch header {
            case "tcp": return transport == .tcp ? .kept : .excluded
            case "udp": return transport == .udp ? .kept : .excluded
            case "icmp", "icmpv6", "igmp", "esp", "ah", "comp", "sctp", "dccp", "udplite", "gre", "arp", "vlan":
                return .excluded
            case "ip": return packet.family == .ipv4 ? .kept : .excluded
            case "ip6": return packet.family == .ipv6 ? .kept : .excluded
            default: return .unknown
            }
        }
    }
}
