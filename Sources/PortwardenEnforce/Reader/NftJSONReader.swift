import PortwardenCore

/// Reads `nft -j list ruleset` output into the ruleset model. Anything it cannot interpret (an
/// unknown object or expression, a concatenated set, a set past the element limit) is kept as far
/// as it goes and reported with its line and column; nothing makes it crash.
public struct NftJSONReader {
    /// Limits that keep hostile input bounded.
    public struct Limits: Sendable {
        /// Elements read per set or anonymous set; the rest are reported and the set marked incomplete.
        public var maximumSetElements = 1 << 20
        /// Input size.
        public var maximumBytes = 512 << 20

        public init() {}
    }

    let file: String
    let limits: Limits
    let lines: LineIndex
    var problems: [Diagnostic] = []

    /// Reads a ruleset.
    /// - Parameters:
    ///   - bytes: the JSON text.
    ///   - file: the name used in problem locations.
    /// - Throws: ``EnforceError`` (`notNftJSON`) when the input is not JSON or has no `nftables` array.
    public static func read(
        _ bytes: [UInt8], file: String, limits: Limits = Limits()
    ) throws(EnforceError) -> NftReadResult {
        let lines = LineIndex(bytes)
        guard bytes.count <= limits.maximumBytes else {
            throw EnforceError(
                .notNftJSON, Diagnostic(file: file, message: "larger than \(limits.maximumBytes) bytes").description)
        }
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            let at = lines.location(error.offset)
            throw EnforceError(
                .notNftJSON,
                Diagnostic(file: file, line: at.line, column: at.column, message: "not JSON: \(error.message)")
                    .description)
        }
        guard let objects = root["nftables"]?.elements else {
            let at = lines.location(root.offset)
            let message = "not nftables JSON: expected an object with an \"nftables\" array (nft -j list ruleset)"
            throw EnforceError(
                .notNftJSON, Diagnostic(file: file, line: at.line, column: at.column, message: message).description)
        }
        var reader = NftJSONReader(file: file, limits: limits, lines: lines)
        return reader.assemble(objects)
    }

    init(file: String, limits: Limits, lines: LineIndex) {
        self.file = file
        self.limits = limits
        self.lines = lines
    }

    mutating func problem(_ node: JSONNode, _ level: Diagnostic.Level, _ message: String) {
        let at = lines.location(node.offset)
        problems.append(Diagnostic(file: file, line: at.line, column: at.column, level: level, message: message))
    }

    func location(_ node: JSONNode) -> NftLocation { lines.location(node.offset) }

    /// Sorts the flat list of objects into tables, sets, chains and rules (in any order of input).
    mutating func assemble(_ objects: [JSONNode]) -> NftReadResult {
        var tables: [NftTable] = []
        var tableIndex: [String: Int] = [:]
        var version: String?
        var pendingChains: [(key: String, chain: NftChain, node: JSONNode)] = []
        var pendingSets: [(key: String, set: NftSet)] = []
        var pendingRules: [(key: String, chain: String, rule: NftRule, node: JSONNode)] = []
        for object in objects {
            guard let members = object.members, members.count == 1, let (kind, body) = members.first else {
                problem(object, .error, "expected an object with one member such as {\"rule\": {…}}; skipped")
                continue
            }
            switch kind {
            case "metainfo":
                version = body["version"]?.string
            case "table":
                guard let family = body["family"]?.string, let name = body["name"]?.string else {
                    problem(body, .error, "table without family or name; skipped")
                    continue
                }
                let key = "\(family) \(name)"
                if tableIndex[key] == nil {
                    tableIndex[key] = tables.count
                    tables.append(NftTable(family: family, name: name, location: location(body)))
                }
            case "chain":
                if let (key, chain) = readChain(body) { pendingChains.append((key, chain, body)) }
            case "set", "map":
                if let (key, set) = readSet(body, isMap: kind == "map") { pendingSets.append((key, set)) }
            case "rule":
                if let (key, chain, rule) = readRule(body) { pendingRules.append((key, chain, rule, body)) }
            default:
                problem(body, .warning, "\"\(kind)\" objects are not analysed; skipped")
            }
        }
        func table(_ key: String, _ node: JSONNode) -> Int? {
            if let index = tableIndex[key] { return index }
            problem(node, .error, "refers to table \(key), which the ruleset does not declare; skipped")
            return nil
        }
        // Sets and chains are collected per table and stored once: a table re-indexes its sets or
        // chains on every change, which per appended rule made reading quadratic.
        var sets = Array(repeating: [NftSet](), count: tables.count)
        for (key, set) in pendingSets {
            if let index = tableIndex[key] { sets[index].append(set) }
        }
        var chains = Array(repeating: [NftChain](), count: tables.count)
        var chainIndex: [String: (Int, Int)] = [:]
        for (key, chain, node) in pendingChains {
            guard let index = table(key, node) else { continue }
            if chainIndex["\(key) \(chain.name)"] != nil { continue }
            chainIndex["\(key) \(chain.name)"] = (index, chains[index].count)
            chains[index].append(chain)
        }
        for (key, chain, rule, node) in pendingRules {
            guard let (t, c) = chainIndex["\(key) \(chain)"] else {
                problem(node, .error, "rule in chain \(key) \(chain), which the ruleset does not declare; skipped")
                continue
            }
            chains[t][c].rules.append(rule)
        }
        for index in tables.indices {
            tables[index].sets = sets[index]
            tables[index].chains = chains[index]
        }
        return NftReadResult(ruleset: NftRuleset(tables: tables), problems: problems, writerVersion: version)
    }

    mutating func readChain(_ body: JSONNode) -> (String, NftChain)? {
        guard let family = body["family"]?.string, let table = body["table"]?.string, let name = body["name"]?.string
        else {
            problem(body, .error, "chain without family, table or name; skipped")
            return nil
        }
        var chain = NftChain(name: name, location: location(body))
        if let hook = body["hook"]?.string {
            let priority = body["prio"]?.integer ?? 0
            if body["prio"] != nil, body["prio"]?.integer == nil {
                problem(body, .warning, "chain \(name): priority is not a number; read as 0")
            }
            chain.binding = NftHookBinding(
                type: body["type"]?.string ?? "filter", hook: hook, priority: priority,
                policy: body["policy"]?.string ?? "accept")
        }
        return ("\(family) \(table)", chain)
    }
}
