/// What a base chain does with a new connection that no specific rule selects: the first rule
/// that selects every packet of the universe decides it (following jumps), else the policy.
enum DefaultVerdict: Equatable {
    case drop(handle: Int?)
    case accept(handle: Int?)

    static func of(_ chain: NftChain, in table: NftTable, universe: PacketBox) -> DefaultVerdict {
        if let decided = decide(chain.name, table: table, universe: universe, depth: 0) { return decided }
        return chain.binding?.policy == "drop" ? .drop(handle: nil) : .accept(handle: nil)
    }

    private static func decide(_ name: String, table: NftTable, universe: PacketBox, depth: Int) -> DefaultVerdict? {
        guard depth < AcceptPathWalker.maximumDepth, let chain = table.chain(name) else { return nil }
        let constraint = RuleConstraint(table: table)
        for rule in chain.rules where rule.unknown.isEmpty {
            let (selected, uncertain) = constraint.apply(rule.matches, to: universe)
            guard let selected, !uncertain, selected == universe, let verdict = rule.verdict else { continue }
            switch verdict {
            case .drop, .reject: return .drop(handle: rule.handle)
            case .accept: return .accept(handle: rule.handle)
            case .jump(let target):
                if let inner = decide(target, table: table, universe: universe, depth: depth + 1) { return inner }
            case .goto(let target):
                return decide(target, table: table, universe: universe, depth: depth + 1)
            case .return: return nil
            default: continue
            }
        }
        return nil
    }
}
