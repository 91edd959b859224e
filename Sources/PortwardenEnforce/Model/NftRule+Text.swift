import PortwardenCore

extension NftRule {
    /// The rule in nftables syntax, as `nft -f` reads it and `nft list` prints it.
    public var text: String {
        var parts = matches.map(\.text)
        parts += unknown.map { "<\($0)>" }
        if counter { parts.append("counter") }
        if let logPrefix { parts.append("log prefix \(NftText.quoted(logPrefix))") }
        if let verdict { parts.append(verdict.text) }
        if let comment { parts.append("comment \(NftText.quoted(comment))") }
        return parts.joined(separator: " ")
    }
}

extension NftMatch {
    /// `ip saddr { 10.0.0.0/8, 192.0.2.1 }`, `tcp dport != 22`, `ct state established,related`.
    public var text: String {
        let op = negated ? "!= " : ""
        return "\(field) \(op)\(NftText.value(value, field: field))"
    }
}

extension NftVerdict {
    public var text: String {
        switch self {
        case .accept: return "accept"
        case .drop: return "drop"
        case .reject: return "reject"
        case .jump(let chain): return "jump \(chain)"
        case .goto(let chain): return "goto \(chain)"
        case .return: return "return"
        case .continue: return "continue"
        case .queue: return "queue"
        case .map(let key, let entries):
            let items = entries.map { "\(NftText.value($0.value, field: key)) : \($0.verdict.text)" }
            return "\(key) vmap { \(items.joined(separator: ", ")) }"
        case .mapReference(let key, let name): return "\(key) vmap @\(name)"
        }
    }
}

/// Rendering of values and strings in nftables syntax.
public enum NftText {
    /// A double-quoted string; nftables strings cannot hold `"` or line breaks, so those become `'` and spaces.
    public static func quoted(_ text: String) -> String {
        let clean = String(
            text.map { character -> Character in
                if character == "\"" { return "'" }
                if character.isNewline || character == "\t" { return " " }
                return character
            })
        return "\"\(clean)\""
    }

    /// A value as it appears on the right of a match on `field`.
    public static func value(_ value: NftValue, field: NftField) -> String {
        switch value {
        case .setReference(let name): return "@\(name)"
        case .names(let names):
            if case .ctState = field { return names.joined(separator: ",") }
            let items = names.map { field.isInterface ? quoted($0) : $0 }
            return items.count == 1 ? items[0] : "{ \(items.joined(separator: ", ")) }"
        case .intervals(let set):
            let items = elements(set, field: field)
            return items.count == 1 ? items[0] : "{ \(items.joined(separator: ", ")) }"
        }
    }

    /// The elements of an interval set in the notation of the field (prefixes, ports, protocols).
    public static func elements(_ set: IntervalSet, field: NftField) -> [String] {
        switch field {
        case .address(let family, _):
            return set.prefixes(family: family).map { prefix in
                prefix.length == prefix.network.bitWidth ? prefix.network.description : prefix.description
            }
        case .l4proto:
            return set.ranges.map { range in
                range.lowerBound == range.upperBound
                    ? protocolName(range.lowerBound) : "\(range.lowerBound)-\(range.upperBound)"
            }
        default:
            return set.ranges.map { range in
                range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
            }
        }
    }

    /// The name nftables prints for an IP protocol number.
    public static func protocolName(_ number: UInt128) -> String {
        switch number {
        case 1: return "icmp"
        case 6: return "tcp"
        case 17: return "udp"
        case 58: return "ipv6-icmp"
        case 132: return "sctp"
        default: return "\(number)"
        }
    }

    /// The IP protocol number of a name nftables prints, if known.
    public static func protocolNumber(_ name: String) -> UInt128? {
        switch name {
        case "icmp": return 1
        case "igmp": return 2
        case "tcp": return 6
        case "udp": return 17
        case "gre": return 47
        case "esp": return 50
        case "ah": return 51
        case "icmpv6", "ipv6-icmp": return 58
        case "sctp": return 132
        case "udplite": return 136
        case "dccp": return 33
        default: return UInt128(name)
        }
    }
}

extension NftField {
    var isInterface: Bool {
        if case .interface = self { return true }
        return false
    }
}

extension Transport {
    /// The IP protocol number.
    public var protocolNumber: UInt128 { self == .tcp ? 6 : 17 }
}
