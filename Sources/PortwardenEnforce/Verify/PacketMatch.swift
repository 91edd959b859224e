import PortwardenCore

/// Whether a rule's matches hold for one concrete packet, without building boxes: set lookups by
/// binary search and nothing allocated, for following many packets through large rulesets.
struct PacketMatch {
    let table: NftTable

    enum Answer {
        case yes
        case no
        case unknown
    }

    func matches(_ rule: NftRule, _ packet: ProbePacket) -> Answer {
        var unknown = !rule.unknown.isEmpty
        for match in rule.matches {
            switch holds(match, packet) {
            case .no: return .no
            case .unknown: unknown = true
            case .yes: continue
            }
        }
        return unknown ? .unknown : .yes
    }

    func holds(_ match: NftMatch, _ packet: ProbePacket) -> Answer {
        let result: Answer
        switch match.field {
        case .address(let family, let source):
            guard family == packet.family else { return .no }
            result = contains(match.value, source ? packet.source : packet.destination)
        case .port(let proto, let source):
            let transport = packet.transport.rawValue
            guard proto == transport || proto == "th" else { return .no }
            // Source ports of probes are not modelled: any source port may match.
            if source { return .unknown }
            result = contains(match.value, UInt128(packet.port))
        case .l4proto:
            result = contains(match.value, packet.transport.protocolNumber)
        case .nfproto:
            result = has(match.value, packet.family.rawValue)
        case .ctState:
            result = has(match.value, "new")
        case .interface:
            // The packet arrives on a real interface, never loopback.
            guard case .names(let names) = match.value, names == ["lo"] else { return .unknown }
            result = .no
        case .other(let name):
            let header = name.split(separator: " ").first.map(String.init) ?? name
            switch header {
            case "tcp", "udp": return header == packet.transport.rawValue ? .unknown : .no
            case "icmp", "icmpv6", "igmp", "esp", "ah", "comp", "sctp", "dccp", "udplite", "gre", "arp", "vlan":
                return .no
            case "ip": return packet.family == .ipv4 ? .unknown : .no
            case "ip6": return packet.family == .ipv6 ? .unknown : .no
            default: return .unknown
            }
        }
        switch result {
        case .yes: return match.negated ? .no : .yes
        case .no: return match.negated ? .yes : .no
        case .unknown: return .unknown
        }
    }

    func contains(_ value: NftValue, _ number: UInt128) -> Answer {
        switch value {
        case .intervals(let set): return set.contains(number) ? .yes : .no
        case .setReference(let name):
            guard let set = table.set(name), !set.incomplete, set.verdicts == nil else { return .unknown }
            return set.elements.contains(number) ? .yes : .no
        case .names: return .unknown
        }
    }

    func has(_ value: NftValue, _ name: String) -> Answer {
        switch value {
        case .names(let names): return names.contains(name) ? .yes : .no
        case .setReference(let setName):
            guard let set = table.set(setName), !set.incomplete else { return .unknown }
            return set.names.contains(name) ? .yes : .no
        case .intervals: return .unknown
        }
    }
}
