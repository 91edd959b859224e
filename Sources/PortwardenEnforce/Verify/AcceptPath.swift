/// One way a new connection gets accepted: the accepting rule, the chain it is in, the jumps
/// that led there, and the packets that take this way.
public struct AcceptPath: Sendable {
    public var box: PacketBox
    public var table: NftTable
    public var chain: String
    public var rule: NftRule
    /// `chain handle N` of each jump or goto taken, from the base chain on.
    public var via: [String]
    /// Whether a match that could not be interpreted was passed over on the way.
    public var uncertain: Bool
}

/// Walks a base chain with a box and collects every accepting rule the box can reach, following
/// jumps, gotos and verdict maps (depth-limited, loops cut).
struct AcceptPathWalker {
    static let maximumDepth = 16
    let table: NftTable
    let constraint: RuleConstraint
    var paths: [AcceptPath] = []
    /// Chains named by a jump that the table does not have, or loops.
    var brokenJumps: [(rule: NftRule, chain: String, target: String)] = []

    init(table: NftTable) {
        self.table = table
        self.constraint = RuleConstraint(table: table)
    }

    mutating func walk(chain name: String, box: PacketBox, via: [String], uncertain: Bool, depth: Int) {
        guard let chain = table.chain(name) else { return }
        for rule in chain.rules {
            let (selected, unsure) = constraint.apply(rule.matches, to: box)
            guard let selected else { continue }
            let uncertainHere = uncertain || unsure || !rule.unknown.isEmpty
            guard let verdict = rule.verdict else { continue }
            follow(verdict, selected, rule: rule, chain: name, via: via, uncertain: uncertainHere, depth: depth)
        }
    }

    mutating func follow(
        _ verdict: NftVerdict, _ box: PacketBox, rule: NftRule, chain: String, via: [String], uncertain: Bool,
        depth: Int
    ) {
        switch verdict {
        case .accept:
            paths.append(AcceptPath(box: box, table: table, chain: chain, rule: rule, via: via, uncertain: uncertain))
        case .jump(let target), .goto(let target):
            guard table.chain(target) != nil, depth < Self.maximumDepth else {
                brokenJumps.append((rule, chain, target))
                return
            }
            let step = "\(chain) handle \(rule.handle.map(String.init) ?? "-")"
            walk(chain: target, box: box, via: via + [step], uncertain: uncertain, depth: depth + 1)
        case .map(let key, let entries):
            for entry in entries {
                let (selected, unsure) = constraint.apply([NftMatch(key, entry.value)], to: box)
                guard let selected else { continue }
                follow(
                    entry.verdict, selected, rule: rule, chain: chain, via: via, uncertain: uncertain || unsure,
                    depth: depth)
            }
        case .mapReference(let key, let name):
            guard let map = table.set(name), let entries = map.verdicts else {
                paths.append(AcceptPath(box: box, table: table, chain: chain, rule: rule, via: via, uncertain: true))
                return
            }
            follow(
                .map(key: key, entries: entries), box, rule: rule, chain: chain, via: via,
                uncertain: uncertain || map.incomplete, depth: depth)
        case .queue:
            // User space decides: taken as possibly accepted.
            paths.append(AcceptPath(box: box, table: table, chain: chain, rule: rule, via: via, uncertain: true))
        case .drop, .reject, .return, .continue:
            return
        }
    }
}
