import PortwardenCore

/// The set of insecure-service rules the evaluator applies, with an O(1) lookup of the rules whose
/// candidate ports include a given transport/port.
public struct InsecureServiceRulePack: Sendable {
    /// The rules, in pack order.
    public var rules: [InsecureServiceRule] {
        didSet { rebuildIndex() }
    }

    private var byPort: [PortKey: [Int]] = [:]
    private var byID: [String: Int] = [:]

    /// The TLS versions that make `INS-TLS-OLD` match when a TLS probe saw them accepted.
    public static let oldTLSVersions: Set<String> = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1", "TLSv1.1"]

    /// The id of the rule confirmed by an old TLS version in `Observation.tls`.
    public static let oldTLSRuleID = "INS-TLS-OLD"

    struct PortKey: Hashable {
        var transport: Transport
        var port: UInt16
    }

    /// Builds a pack from rules; when two rules share an id the first wins for `rule(id:)`.
    public init(rules: [InsecureServiceRule]) {
        self.rules = rules
        rebuildIndex()
    }

    private mutating func rebuildIndex() {
        var byPort: [PortKey: [Int]] = [:]
        var byID: [String: Int] = [:]
        for (index, rule) in rules.enumerated() {
            if byID[rule.id] == nil { byID[rule.id] = index }
            for spec in rule.ports {
                for port in spec.range.lower...spec.range.upper {
                    let key = PortKey(transport: spec.transport, port: port)
                    if byPort[key]?.last != index { byPort[key, default: []].append(index) }
                }
            }
        }
        self.byPort = byPort
        self.byID = byID
    }

    /// The rules whose candidate ports include `transport/port`, in pack order.
    public func rules(for transport: Transport, port: UInt16) -> [InsecureServiceRule] {
        (byPort[PortKey(transport: transport, port: port)] ?? []).map { rules[$0] }
    }

    /// The indices (into `rules`) of the rules whose candidate ports include `transport/port`.
    func ruleIndices(for transport: Transport, port: UInt16) -> [Int] {
        byPort[PortKey(transport: transport, port: port)] ?? []
    }

    /// The index of the rule with the given id.
    func ruleIndex(id: String) -> Int? { byID[id] }

    /// The rule with the given id (`INS-TELNET`), if the pack holds it.
    public func rule(id: String) -> InsecureServiceRule? { byID[id].map { rules[$0] } }

    /// The rules that name `executable` (a basename or a full path) among their confirming processes.
    public func rules(forProcess executable: String) -> [InsecureServiceRule] {
        let name = InsecureServiceRulePack.basename(executable)
        return rules.filter { $0.processes.contains(name) }
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
