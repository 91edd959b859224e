import PortwardenCore

/// One concrete new connection attempt, for asking what the ruleset does with it.
public struct ProbePacket: Hashable, Sendable {
    public var family: AddressFamily
    public var source: UInt128
    public var destination: UInt128
    public var transport: Transport
    public var port: UInt16

    public init(source: IPAddress, destination: IPAddress, transport: Transport, port: UInt16) {
        self.family = AddressFamily(destination)
        self.source = source.value
        self.destination = destination.value
        self.transport = transport
        self.port = port
    }

    var box: PacketBox {
        let service = PacketBox.Service.ports(transport, IntervalSet(UInt128(port)...UInt128(port)))
        return PacketBox(
            family: family, sources: IntervalSet(source...source), destinations: IntervalSet(destination...destination),
            services: service)
    }
}

/// What the ruleset does with a packet on one hook, and which rule decided it.
public enum PacketOutcome: Hashable, Sendable {
    case accepted
    /// Dropped or rejected by this rule (`nil`: by the policy of `chain`).
    case dropped(table: String, chain: String, handle: Int?)
    /// A rule the analysis could not interpret was in the way.
    case uncertain(table: String, chain: String, handle: Int?)
}

/// Follows one packet through every base chain of a hook in priority order: an accept ends one
/// base chain and the packet goes on to the next, a drop ends it all.
struct PacketWalk {
    let ruleset: NftRuleset

    /// What the hook does with `packet`: rules are tested on the packet itself
    /// (`RuleConstraint.admits`).
    func outcome(_ packet: ProbePacket, hook: String) -> PacketOutcome {
        outcome(packet, hook: hook) { table, chain in walk(table, chain, packet, depth: 0) }
    }

    /// The same answer by intersecting the packet's one-packet box with each rule (`RuleConstraint.apply`):
    /// the general box walk, kept as the reference the packet walk is tested against.
    func boxOutcome(_ packet: ProbePacket, hook: String) -> PacketOutcome {
        outcome(packet, hook: hook) { table, chain in walk(table, chain, packet.box, depth: 0) }
    }

    private func outcome(
        _ packet: ProbePacket, hook: String, _ decide: (NftTable, String) -> Step
    ) -> PacketOutcome {
        for (table, chain) in BaseChains.of(ruleset, hook: hook, family: packet.family) {
            let tableName = "\(table.family) \(table.name)"
            switch decide(table, chain.name) {
            case .accepted: continue
            case .dropped(let handle, let chainName):
                return .dropped(table: tableName, chain: chainName, handle: handle)
            case .uncertain(let handle, let chainName):
                return .uncertain(table: tableName, chain: chainName, handle: handle)
            case .fellThrough:
                if chain.binding?.policy == "drop" { return .dropped(table: tableName, chain: chain.name, handle: nil) }
            }
        }
        return .accepted
    }

    enum Step {
        case accepted
        case dropped(handle: Int?, chain: String)
        case fellThrough
        case uncertain(handle: Int?, chain: String)
    }

    /// The decision of one chain (and the chains it jumps to) for one packet, or for a one-packet box:
    /// one walk, whatever the subject, so that the two answers can differ only in how a rule's matches
    /// are tested.
    func walk<Subject: WalkSubject>(_ table: NftTable, _ name: String, _ subject: Subject, depth: Int) -> Step {
        guard depth < AcceptPathWalker.maximumDepth, let chain = table.chain(name) else {
            return .uncertain(handle: nil, chain: name)
        }
        let constraint = RuleConstraint(table: table)
        let rules = chain.rules
        // By position, reading only the fields a decision needs: copying whole rules (arrays and strings
        // each) was most of the walk's cost.
        for position in rules.indices {
            let (selected, unsure) = subject.isSelected(by: rules[position].matches, under: constraint)
            if !selected { continue }
            guard var verdict = rules[position].verdict else { continue }
            let handle = rules[position].handle
            if unsure || !rules[position].unknown.isEmpty {
                // A rule we cannot read: if it would accept anyway, it does not block the flow.
                if verdict == .accept { return .accepted }
                if verdict.isTerminal { return .uncertain(handle: handle, chain: name) }
            }
            if case .mapReference(let key, let mapName) = verdict {
                guard let entries = table.set(mapName)?.verdicts else {
                    return .uncertain(handle: handle, chain: name)
                }
                verdict = .map(key: key, entries: entries)
            }
            if case .map(let key, let entries) = verdict {
                let hit = entries.first {
                    subject.isSelected(by: [NftMatch(key, $0.value)], under: constraint).selected
                }
                guard let hit else { continue }
                verdict = hit.verdict
            }
            switch verdict {
            case .accept, .queue: return .accepted
            case .drop, .reject: return .dropped(handle: handle, chain: name)
            case .jump(let target):
                let inner = walk(table, target, subject, depth: depth + 1)
                if case .fellThrough = inner { continue }
                return inner
            case .goto(let target):
                return walk(table, target, subject, depth: depth + 1)
            case .return: return .fellThrough
            case .continue, .map, .mapReference: continue
            }
        }
        return .fellThrough
    }
}

/// What a chain walk follows: it only needs to know whether a rule's matches select it.
protocol WalkSubject {
    /// Whether `matches` select this subject, and whether an uninterpretable match was passed over.
    func isSelected(by matches: [NftMatch], under constraint: RuleConstraint) -> (selected: Bool, uncertain: Bool)
}

extension ProbePacket: WalkSubject {
    /// By membership tests on the packet itself (`RuleConstraint.admits`).
    func isSelected(by matches: [NftMatch], under constraint: RuleConstraint) -> (selected: Bool, uncertain: Bool) {
        let (admitted, uncertain) = constraint.admits(matches, self)
        return (admitted, uncertain)
    }
}

extension PacketBox: WalkSubject {
    /// By intersecting the box with the rule (`RuleConstraint.apply`).
    func isSelected(by matches: [NftMatch], under constraint: RuleConstraint) -> (selected: Bool, uncertain: Bool) {
        let (box, uncertain) = constraint.apply(matches, to: self)
        return (box != nil, uncertain)
    }
}

/// The base chains of a hook that packets of a family pass, in priority order (filter chains only).
enum BaseChains {
    static func of(_ ruleset: NftRuleset, hook: String, family: AddressFamily) -> [(NftTable, NftChain)] {
        var out: [(NftTable, NftChain)] = []
        for table in ruleset.tables where table.sees(family) {
            for chain in table.chains where chain.binding?.hook == hook && chain.binding?.type == "filter" {
                out.append((table, chain))
            }
        }
        return out.sorted { ($0.1.binding?.priority ?? 0) < ($1.1.binding?.priority ?? 0) }
    }
}
