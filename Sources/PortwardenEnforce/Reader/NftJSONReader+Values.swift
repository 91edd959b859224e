import PortwardenCore

extension NftJSONReader {
    /// The right side of a match on `field`: one value, a range, a prefix, an anonymous set or `@name`.
    mutating func readValue(_ node: JSONNode, field: NftField, label: String) -> NftValue? {
        if let text = node.string, text.hasPrefix("@") { return .setReference(String(text.dropFirst())) }
        var collector = ValueCollector(field: field, limit: limits.maximumSetElements)
        collector.add(node)
        if collector.truncated {
            problem(
                node, .warning,
                "\(label): an anonymous set with more than \(limits.maximumSetElements) elements; the rule's effect is unknown"
            )
            return nil
        }
        if let bad = collector.failed {
            problem(
                bad, .warning, "\(label): a value that is not understood for \(field); the rule's effect is unknown")
            return nil
        }
        return collector.value
    }

    mutating func readSet(_ body: JSONNode, isMap: Bool) -> (String, NftSet)? {
        guard let family = body["family"]?.string, let table = body["table"]?.string, let name = body["name"]?.string
        else {
            problem(body, .error, "set without family, table or name; skipped")
            return nil
        }
        let typeName: String
        var set: NftSet
        if let type = body["type"]?.string {
            typeName = type
            set = NftSet(name: name, type: type, comment: body["comment"]?.string, location: location(body))
        } else {
            let parts = body["type"]?.elements?.compactMap(\.string) ?? []
            typeName = parts.joined(separator: " . ")
            set = NftSet(
                name: name, type: typeName, comment: body["comment"]?.string, incomplete: true, location: location(body)
            )
            problem(
                body, .warning,
                "set \(name) has the concatenated type \(typeName), which is not analysed; rules using it have an unknown effect"
            )
            return ("\(family) \(table)", set)
        }
        guard let field = Self.field(forSetType: typeName) else {
            set.incomplete = true
            problem(body, .warning, "set \(name) has type \(typeName), which is not analysed")
            return ("\(family) \(table)", set)
        }
        let elements = body["elem"]?.elements ?? []
        if elements.count > limits.maximumSetElements {
            set.incomplete = true
            problem(
                body, .warning,
                "set \(name) has \(elements.count) elements, more than the \(limits.maximumSetElements) read; rules using it have an unknown effect"
            )
            return ("\(family) \(table)", set)
        }
        if isMap {
            guard body["map"]?.string == "verdict" else {
                set.incomplete = true
                problem(body, .warning, "map \(name) does not map to verdicts; not analysed")
                return ("\(family) \(table)", set)
            }
            var entries: [NftMapEntry] = []
            for element in elements {
                guard let pair = element.elements, pair.count == 2, let verdict = readVerdict(pair[1]) else {
                    problem(element, .warning, "map \(name): an element that is not understood; left out")
                    set.incomplete = true
                    continue
                }
                var collector = ValueCollector(field: field, limit: limits.maximumSetElements)
                collector.add(pair[0])
                if collector.failed != nil {
                    set.incomplete = true
                    continue
                }
                entries.append(NftMapEntry(value: collector.value, verdict: verdict))
            }
            set.verdicts = entries
            return ("\(family) \(table)", set)
        }
        var collector = ValueCollector(field: field, limit: limits.maximumSetElements)
        for element in elements { collector.add(element) }
        if let bad = collector.failed {
            set.incomplete = true
            problem(
                bad, .warning,
                "set \(name): an element that is not understood; rules using the set have an unknown effect")
        }
        switch collector.value {
        case .intervals(let values): set.elements = values
        case .names(let names): set.names = names
        case .setReference: break
        }
        return ("\(family) \(table)", set)
    }

    /// The field whose values a set of this type holds.
    static func field(forSetType type: String) -> NftField? {
        switch type {
        case "ipv4_addr": return .address(.ipv4, source: true)
        case "ipv6_addr": return .address(.ipv6, source: true)
        case "inet_service": return .port("th", source: false)
        case "inet_proto": return .l4proto
        case "ifname": return .interface("iifname")
        case "ct_state": return .ctState
        default: return nil
        }
    }
}

/// Gathers the values of one match or set into an interval set or a name list.
struct ValueCollector {
    let field: NftField
    let limit: Int
    var intervals: [ClosedRange<UInt128>] = []
    var names: [String] = []
    var failed: JSONNode?
    var truncated = false
    var count = 0

    init(field: NftField, limit: Int) {
        self.field = field
        self.limit = limit
    }

    var isNumeric: Bool {
        switch field {
        case .address, .port, .l4proto: return true
        default: return false
        }
    }

    var value: NftValue { isNumeric ? .intervals(IntervalSet(intervals)) : .names(Array(Set(names)).sorted()) }

    mutating func add(_ node: JSONNode) {
        guard failed == nil, !truncated else { return }
        count += 1
        if count > limit {
            truncated = true
            return
        }
        if let items = node.elements {
            for item in items { add(item) }
            return
        }
        if let items = node["set"]?.elements {
            for item in items { add(item) }
            return
        }
        if let inner = node["elem"]?["val"] {
            add(inner)
            return
        }
        guard isNumeric else {
            if let text = node.string {
                names.append(text)
            } else if case .number(let text, _) = node {
                names.append(text)
            } else {
                failed = node
            }
            return
        }
        if let range = node["range"]?.elements, range.count == 2, let low = scalar(range[0]),
            let high = scalar(range[1]),
            low <= high
        {
            intervals.append(low...high)
        } else if let prefix = node["prefix"], let text = prefix["addr"]?.string, let length = prefix["len"]?.integer,
            let address = IPAddress(text), let block = Prefix(address: address, length: length), familyMatches(address)
        {
            intervals.append(block.first...block.last)
        } else if let value = scalar(node) {
            intervals.append(value...value)
        } else {
            failed = node
        }
    }

    func familyMatches(_ address: IPAddress) -> Bool {
        if case .address(let family, _) = field { return AddressFamily(address) == family }
        return false
    }

    /// One number, address, protocol or service name.
    func scalar(_ node: JSONNode) -> UInt128? {
        switch field {
        case .address:
            guard let text = node.string, let address = IPAddress(text), familyMatches(address) else { return nil }
            return address.value
        case .port:
            if let number = node.integer { return number >= 0 && number <= 65535 ? UInt128(number) : nil }
            return node.string.flatMap { Self.servicePorts[$0] }
        case .l4proto:
            if let number = node.integer { return number >= 0 && number <= 255 ? UInt128(number) : nil }
            return node.string.flatMap { NftText.protocolNumber($0) }
        default:
            return nil
        }
    }

    /// Service names `nft -j` prints when /etc/services knows the port (without `-n`).
    static let servicePorts: [String: UInt128] = [
        "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "http": 80, "kerberos": 88,
        "pop3": 110, "sunrpc": 111, "ntp": 123, "netbios-ns": 137, "netbios-ssn": 139, "imap2": 143, "snmp": 161,
        "ldap": 389, "https": 443, "microsoft-ds": 445, "syslog": 514, "submission": 587, "ldaps": 636,
        "imaps": 993, "pop3s": 995, "ms-sql-s": 1433, "mysql": 3306, "rdp": 3389, "ms-wbt-server": 3389,
        "postgresql": 5432, "redis": 6379, "http-alt": 8080,
    ]
}
