import PortwardenCore

/// Where in the input a piece of a ruleset was read from (the JSON file's line and column), so
/// that a report can point at it.
public struct NftLocation: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One rule: its matches, statements and verdict, and what the reader did not understand.
public struct NftRule: Hashable, Sendable {
    /// The kernel's handle (absent for generated rules that were never loaded).
    public var handle: Int?
    public var matches: [NftMatch]
    public var counter: Bool
    public var logPrefix: String?
    public var verdict: NftVerdict?
    public var comment: String?
    /// Expressions the reader could not interpret (their names), which make the rule's effect uncertain.
    public var unknown: [String]
    /// Statements that change packets or state but not the verdict (`nat`, `mark set`, `limit`).
    public var ignored: [String]
    public var location: NftLocation?

    public init(
        handle: Int? = nil, matches: [NftMatch] = [], counter: Bool = false, logPrefix: String? = nil,
        verdict: NftVerdict? = nil, comment: String? = nil, unknown: [String] = [], ignored: [String] = [],
        location: NftLocation? = nil
    ) {
        self.handle = handle
        self.matches = matches
        self.counter = counter
        self.logPrefix = logPrefix
        self.verdict = verdict
        self.comment = comment
        self.unknown = unknown
        self.ignored = ignored
        self.location = location
    }

    /// The rule without its handle and location: what drift detection compares.
    public var meaning: NftRule {
        var copy = self
        copy.handle = nil
        copy.location = nil
        return copy
    }
}

/// The hook a base chain is attached to.
public struct NftHookBinding: Hashable, Sendable {
    /// `filter`, `nat`, `route`.
    public var type: String
    /// `input`, `output`, `forward`, `prerouting`, `postrouting`, `ingress`.
    public var hook: String
    public var priority: Int
    /// `accept` or `drop`.
    public var policy: String

    public init(type: String, hook: String, priority: Int, policy: String) {
        self.type = type
        self.hook = hook
        self.priority = priority
        self.policy = policy
    }
}

/// A chain: a base chain when `binding` is set, otherwise reachable only by jump or goto.
public struct NftChain: Hashable, Sendable {
    public var name: String
    public var binding: NftHookBinding?
    public var rules: [NftRule]
    public var location: NftLocation?

    public init(name: String, binding: NftHookBinding? = nil, rules: [NftRule] = [], location: NftLocation? = nil) {
        self.name = name
        self.binding = binding
        self.rules = rules
        self.location = location
    }
}

/// A named set or map of a table.
public struct NftSet: Hashable, Sendable {
    public var name: String
    /// `ipv4_addr`, `ipv6_addr`, `inet_service`, `ct_state`, … (`a . b` for concatenations).
    public var type: String
    /// The elements of an address, port or protocol set.
    public var elements: IntervalSet
    /// The elements of a set of names (interface names, ct states).
    public var names: [String]
    /// A verdict map's entries (when the set is a map whose data type is `verdict`).
    public var verdicts: [NftMapEntry]?
    public var comment: String?
    /// Whether the elements could not all be read (a concatenated type, a huge set, an unknown element).
    public var incomplete: Bool
    public var location: NftLocation?

    public init(
        name: String, type: String, elements: IntervalSet = .empty, names: [String] = [],
        verdicts: [NftMapEntry]? = nil,
        comment: String? = nil, incomplete: Bool = false, location: NftLocation? = nil
    ) {
        self.name = name
        self.type = type
        self.elements = elements
        self.names = names
        self.verdicts = verdicts
        self.comment = comment
        self.incomplete = incomplete
        self.location = location
    }
}

/// A table: its family (`ip`, `ip6`, `inet`, `arp`, `bridge`, `netdev`), sets and chains.
public struct NftTable: Hashable, Sendable {
    public var family: String
    public var name: String
    public var sets: [NftSet] { didSet { setIndex = Self.index(sets.map(\.name)) } }
    public var chains: [NftChain] { didSet { chainIndex = Self.index(chains.map(\.name)) } }
    public var location: NftLocation?
    /// Positions by name (the first of equal names), kept with the arrays: the verifier looks a set or chain
    /// up for every rule it walks.
    private var setIndex: [String: Int]
    private var chainIndex: [String: Int]

    public init(
        family: String, name: String, sets: [NftSet] = [], chains: [NftChain] = [], location: NftLocation? = nil
    ) {
        self.family = family
        self.name = name
        self.sets = sets
        self.chains = chains
        self.location = location
        setIndex = Self.index(sets.map(\.name))
        chainIndex = Self.index(chains.map(\.name))
    }

    /// The first chain with the name.
    public func chain(_ name: String) -> NftChain? { chainIndex[name].map { chains[$0] } }
    /// The first set with the name.
    public func set(_ name: String) -> NftSet? { setIndex[name].map { sets[$0] } }

    /// The elements of the first set with the name when they were all read and it is not a verdict map:
    /// what a match on the set tests, without copying the rest of the set (the verifier asks for every
    /// rule it walks).
    func numericElements(of name: String) -> IntervalSet? {
        guard let position = setIndex[name], !sets[position].incomplete, sets[position].verdicts == nil else {
            return nil
        }
        return sets[position].elements
    }

    /// The names of the first set with the name when they were all read.
    func nameElements(of name: String) -> [String]? {
        guard let position = setIndex[name], !sets[position].incomplete else { return nil }
        return sets[position].names
    }

    private static func index(_ names: [String]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        return index
    }

    /// Whether packets of the address family pass through this table's chains.
    public func sees(_ family: AddressFamily) -> Bool {
        switch self.family {
        case "inet": return true
        case "ip": return family == .ipv4
        case "ip6": return family == .ipv6
        default: return false
        }
    }
}

/// A whole ruleset as read from `nft -j list ruleset` or generated.
public struct NftRuleset: Hashable, Sendable {
    public var tables: [NftTable]

    public init(tables: [NftTable] = []) { self.tables = tables }

    public func table(family: String, name: String) -> NftTable? {
        tables.first { $0.family == family && $0.name == name }
    }
}
