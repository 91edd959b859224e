import PortwardenCore

/// What a rule's matches do to a box: narrow it, or leave nothing of it. Matches the analysis
/// cannot interpret narrow nothing (an over-approximation: the rule is taken to match more), and
/// are counted so the report can say the result is uncertain.
struct RuleConstraint {
    let table: NftTable

    /// The part of `box` the rule's matches select, or `nil` when nothing is left.
    /// - Returns: also whether an uninterpretable match was passed over.
    func apply(_ matches: [NftMatch], to box: PacketBox) -> (box: PacketBox?, uncertain: Bool) {
        var current = box
        var uncertain = false
        for match in matches {
            switch narrow(current, match) {
            case .empty: return (nil, uncertain)
            case .narrowed(let next): current = next
            case .unknown: uncertain = true
            }
            if current.isEmpty { return (nil, uncertain) }
        }
        return (current, uncertain)
    }

    enum Outcome {
        case empty
        case narrowed(PacketBox)
        case unknown
    }

    /// The numeric values of a match's right side (a named set is looked up).
    func intervals(_ value: NftValue) -> IntervalSet? {
        switch value {
        case .intervals(let set): return set
        case .setReference(let name): return table.numericElements(of: name)
        case .names: return nil
        }
    }

    func names(_ value: NftValue) -> [String]? {
        switch value {
        case .names(let names): return names
        case .setReference(let name): return table.nameElements(of: name)
        case .intervals: return nil
        }
    }

    func narrow(_ box: PacketBox, _ match: NftMatch) -> Outcome {
        var box = box
        switch match.field {
        case .address(let family, let source):
            guard family == box.family else { return .empty }
            guard var values = intervals(match.value) else { return .unknown }
            if match.negated { values = values.complement(upTo: family.maximum) }
            if source {
                box.sources = box.sources.intersection(values)
            } else {
                box.destinations = box.destinations.intersection(values)
            }
        case .port(let proto, let source):
            let transports: [Transport]
            switch proto {
            case "tcp": transports = [.tcp]
            case "udp": transports = [.udp]
            case "th": transports = [.tcp, .udp]
            default: return .empty
            }
            if source {
                // Source ports are not part of the policy; only the transport is implied.
                box.services = box.services.intersection(
                    transports.reduce(IntervalSet.empty) { $0.union(PacketBox.Service.ports($1, .all(upTo: 65535))) })
                return .narrowed(box)
            }
            guard var ports = intervals(match.value) else { return .unknown }
            if match.negated { ports = ports.complement(upTo: 65535) }
            let allowed = transports.reduce(IntervalSet.empty) { $0.union(PacketBox.Service.ports($1, ports)) }
            box.services = box.services.intersection(allowed)
        case .l4proto:
            guard var protocols = intervals(match.value) else { return .unknown }
            if match.negated { protocols = protocols.complement(upTo: 255) }
            var allowed = IntervalSet.empty
            if protocols.contains(6) { allowed = allowed.union(PacketBox.Service.allTCP) }
            if protocols.contains(17) { allowed = allowed.union(PacketBox.Service.allUDP) }
            box.services = box.services.intersection(allowed)
        case .nfproto:
            guard let names = names(match.value) else { return .unknown }
            if names.contains(box.family.rawValue) == match.negated { return .empty }
        case .ctState:
            guard let names = names(match.value) else { return .unknown }
            // Boxes are new connections: a match that excludes `new` (replies) selects none of them.
            if names.contains("new") == match.negated { return .empty }
        case .interface:
            guard let names = names(match.value) else { return .unknown }
            // Loopback traffic is outside the port policy.
            if !match.negated, names == ["lo"] { return .empty }
            // Other interfaces are not modelled: the rule is taken to match on every interface.
            return .narrowed(box)
        case .other(let name):
            return implied(by: name, box)
        }
        return .narrowed(box)
    }

    /// A match on another header field still implies that header: `icmpv6 type` selects no TCP/UDP
    /// packet, `tcp flags` selects only TCP, `ip6 hoplimit` only IPv6.
    func implied(by name: String, _ box: PacketBox) -> Outcome {
        var box = box
        let header = name.split(separator: " ").first.map(String.init) ?? name
        switch header {
        case "tcp": box.services = box.services.intersection(PacketBox.Service.allTCP)
        case "udp": box.services = box.services.intersection(PacketBox.Service.allUDP)
        case "icmp", "icmpv6", "igmp", "esp", "ah", "comp", "sctp", "dccp", "udplite", "gre", "arp", "vlan":
            return .empty
        case "ip": if box.family != .ipv4 { return .empty }
        case "ip6": if box.family != .ipv6 { return .empty }
        default: return .unknown
        }
        return box.isEmpty ? .empty : .narrowed(box)
    }
}
