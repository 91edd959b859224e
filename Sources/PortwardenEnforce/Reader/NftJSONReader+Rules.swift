import PortwardenCore

extension NftJSONReader {
    /// Statements that change packets or state but never decide the verdict.
    static let neutralStatements: Set<String> = [
        "limit", "quota", "mangle", "snat", "dnat", "masquerade", "redirect", "notrack", "dup", "fwd", "tproxy",
        "synproxy", "flow", "set", "meter", "ct helper", "ct timeout", "ct expectation", "secmark", "last",
        "ct count", "connlimit",
    ]

    /// iptables extensions that neither select packets nor decide (comments, logging).
    static let neutralExtensions: Set<String> = ["comment", "LOG", "NFLOG", "AUDIT"]

    mutating func readRule(_ body: JSONNode) -> (String, String, NftRule)? {
        guard let family = body["family"]?.string, let table = body["table"]?.string, let chain = body["chain"]?.string
        else {
            problem(body, .error, "rule without family, table or chain; skipped")
            return nil
        }
        var rule = NftRule(handle: body["handle"]?.integer, comment: body["comment"]?.string, location: location(body))
        let label = "rule \(rule.handle.map { "handle \($0)" } ?? "without handle") in \(family) \(table) \(chain)"
        guard let expressions = body["expr"]?.elements else {
            problem(body, .error, "\(label) has no expression list; skipped")
            return nil
        }
        for expression in expressions {
            guard let members = expression.members, members.count == 1, let (kind, value) = members.first else {
                rule.unknown.append("?")
                problem(
                    expression, .warning,
                    "\(label): an expression that is not a one-member object; its effect is unknown")
                continue
            }
            if rule.verdict != nil, kind != "counter" {
                // nftables ends a rule at its verdict; anything after it never runs.
                continue
            }
            readExpression(kind, value, into: &rule, label: label)
        }
        return ("\(family) \(table)", chain, rule)
    }

    mutating func readExpression(_ kind: String, _ value: JSONNode, into rule: inout NftRule, label: String) {
        switch kind {
        case "match":
            if let match = readMatch(value, label: label) {
                rule.matches.append(match)
            } else {
                rule.unknown.append("match")
            }
        case "counter": rule.counter = true
        case "log": rule.logPrefix = value["prefix"]?.string ?? ""
        case "accept": rule.verdict = .accept
        case "drop": rule.verdict = .drop
        case "reject": rule.verdict = .reject
        case "return": rule.verdict = .return
        case "continue": rule.verdict = .continue
        case "queue": rule.verdict = .queue
        case "jump", "goto":
            guard let target = value["target"]?.string else {
                rule.unknown.append(kind)
                problem(value, .warning, "\(label): \(kind) without a target; its effect is unknown")
                return
            }
            rule.verdict = kind == "jump" ? .jump(target) : .goto(target)
        case "vmap":
            if let verdict = readVerdictMap(value, label: label) {
                rule.verdict = verdict
            } else {
                rule.unknown.append("vmap")
            }
        case "xt":
            let name = value["name"]?.string ?? "?"
            if Self.neutralExtensions.contains(name) {
                rule.ignored.append("xt \(name)")
                return
            }
            rule.unknown.append("xt \(name)")
            problem(
                value, .warning,
                "\(label): iptables extension \"\(name)\" (xt, from iptables-nft) cannot be read from JSON; the rule's effect is unknown"
            )
        default:
            if Self.neutralStatements.contains(kind) {
                rule.ignored.append(kind)
            } else {
                rule.unknown.append(kind)
                problem(value, .warning, "\(label): unknown expression \"\(kind)\"; the rule's effect is unknown")
            }
        }
    }

    mutating func readMatch(_ body: JSONNode, label: String) -> NftMatch? {
        guard let left = body["left"], let right = body["right"], let op = body["op"]?.string else {
            problem(body, .warning, "\(label): a match without left, right or op; its effect is unknown")
            return nil
        }
        guard let field = readField(left) else {
            problem(left, .warning, "\(label): a match on an expression that is not understood; its effect is unknown")
            return nil
        }
        let negated: Bool
        switch op {
        case "==", "in": negated = false
        case "!=": negated = true
        case "<", ">", "<=", ">=":
            guard let number = right.integer, let maximum = field.maximumValue, number >= 0 else {
                problem(body, .warning, "\(label): comparison \(op) on \(field) is not understood")
                return nil
            }
            let n = UInt128(number)
            let range: ClosedRange<UInt128>?
            switch op {
            case "<": range = n == 0 ? nil : 0...(n - 1)
            case "<=": range = 0...min(n, maximum)
            case ">": range = n >= maximum ? nil : (n + 1)...maximum
            default: range = n > maximum ? nil : n...maximum
            }
            return NftMatch(field, .intervals(range.map { IntervalSet($0) } ?? .empty))
        default:
            problem(body, .warning, "\(label): operator \"\(op)\" is not understood")
            return nil
        }
        guard let value = readValue(right, field: field, label: label) else { return nil }
        return NftMatch(field, value, negated: negated)
    }

    /// The left side of a match.
    func readField(_ node: JSONNode) -> NftField? {
        if let payload = node["payload"] {
            guard let proto = payload["protocol"]?.string, let name = payload["field"]?.string else {
                return .other("raw payload")
            }
            switch (proto, name) {
            case ("ip", "saddr"): return .address(.ipv4, source: true)
            case ("ip", "daddr"): return .address(.ipv4, source: false)
            case ("ip6", "saddr"): return .address(.ipv6, source: true)
            case ("ip6", "daddr"): return .address(.ipv6, source: false)
            case ("ip", "protocol"), ("ip6", "nexthdr"): return .l4proto
            case (_, "dport"): return .port(proto, source: false)
            case (_, "sport"): return .port(proto, source: true)
            default: return .other("\(proto) \(name)")
            }
        }
        if let meta = node["meta"] {
            switch meta["key"]?.string {
            case "l4proto": return .l4proto
            case "nfproto": return .nfproto
            case "iifname", "oifname", "iif", "oif": return .interface(meta["key"]?.string ?? "")
            case let key?: return .other("meta \(key)")
            case nil: return nil
            }
        }
        if let ct = node["ct"] {
            if ct["key"]?.string == "state", ct["dir"] == nil { return .ctState }
            return .other("ct \(ct["key"]?.string ?? "?")")
        }
        if let members = node.members, let kind = members.first?.key { return .other(kind) }
        return nil
    }

    mutating func readVerdictMap(_ body: JSONNode, label: String) -> NftVerdict? {
        guard let keyNode = body["key"], let key = readField(keyNode), let data = body["data"] else {
            problem(body, .warning, "\(label): a verdict map without a key or data that is understood")
            return nil
        }
        if let name = data.string, name.hasPrefix("@") {
            return .mapReference(key: key, name: String(name.dropFirst()))
        }
        guard let items = data["set"]?.elements else {
            problem(data, .warning, "\(label): verdict map data is neither @name nor an anonymous map")
            return nil
        }
        var entries: [NftMapEntry] = []
        for item in items {
            guard let pair = item.elements, pair.count == 2, let value = readValue(pair[0], field: key, label: label),
                let verdict = readVerdict(pair[1])
            else {
                problem(item, .warning, "\(label): a verdict map entry that is not understood; left out")
                continue
            }
            entries.append(NftMapEntry(value: value, verdict: verdict))
        }
        return .map(key: key, entries: entries)
    }

    /// A verdict object such as `{"accept": null}` or `{"jump": {"target": "x"}}`.
    func readVerdict(_ node: JSONNode) -> NftVerdict? {
        guard let members = node.members, let (kind, value) = members.first else { return nil }
        switch kind {
        case "accept": return .accept
        case "drop": return .drop
        case "reject": return .reject
        case "return": return .return
        case "continue": return .continue
        case "queue": return .queue
        case "jump": return value["target"]?.string.map { .jump($0) }
        case "goto": return value["target"]?.string.map { .goto($0) }
        default: return nil
        }
    }
}

extension NftField {
    /// The largest value of a numeric field (ports, protocols), for comparisons.
    var maximumValue: UInt128? {
        switch self {
        case .port: return 65535
        case .l4proto: return 255
        case .address(let family, _): return family.maximum
        default: return nil
        }
    }
}
