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
    func admits(_ matches: [NftMatch], _ packet: ProbePacket) -> (admitted: Bool, uncertain: Bool) {
        var uncertain = false
        for match in matches {
            switch keeps(packet, match) {
            case .excluded: return (false, uncertain)
            case .kept: continue
            case .unknown: uncertain = true
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
            let transports: [Transport]
            switch proto {
            case "tcp": transports = [.tcp]
            case "udp": transports = [.udp]
            case "th": transports = [.tcp, .udp]
            default: return .excluded
            }
            if source { return transports.contains(transport) ? .kept : .excluded }
            guard let ports = intervals(match.value) else { return .unknown }
            guard transports.contains(transport) else { return .excluded }
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
