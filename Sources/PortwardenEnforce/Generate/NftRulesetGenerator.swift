import PortwardenCore

/// Turns the policy's flow plan into an nftables ruleset: default drop, stateful replies, each
/// declared flow allowed only from its sources (named sets per zone), exceptions as rules of their
/// own, logged drops with fixed prefixes and a counter on every rule. The output depends only on
/// the plan, the target, the policy digest and the tool version, in a stable order.
public struct NftRulesetGenerator: Sendable {
    /// The table every generated ruleset lives in (`inet portwarden`).
    public static let tableName = "portwarden"
    /// The first words of the marker comment, by which `verify` recognises a generated table.
    public static let markerPrefix = "portwarden"

    public let plan: FlowPlan
    /// `sha256:` and the hex digest of the policy file's bytes.
    public let policyDigest: String
    public let toolVersion: String
    let names: NftIdentifiers

    public init(plan: FlowPlan, policyDigest: String, toolVersion: String) {
        self.plan = plan
        self.policyDigest = policyDigest
        self.toolVersion = toolVersion
        self.names = NftIdentifiers(zoneIDs: plan.zones.map(\.id))
    }

    /// Generates the ruleset for one target.
    /// - Throws: ``EnforceError`` with `hostInNoZone` when a host address lies in no zone.
    public func generate(for target: EnforcementTarget) throws(EnforceError) -> GeneratedRuleset {
        let marker = "\(Self.markerPrefix) \(target) \(policyDigest.prefix(23))"
        var chains: [NftChain]
        switch target {
        case .router:
            chains = routerChains(marker: marker)
        case .host(let address):
            guard let zone = plan.zone(containing: address) else {
                throw EnforceError(
                    .hostInNoZone, "\(address) is in no zone of the policy; name an address a zone contains")
            }
            chains = [inputChain(host: address, zone: zone, marker: marker)]
            if zone.isCDE { chains.append(outputChain(host: address, zone: zone)) }
        }
        chains = chains.map { chain in
            var unique = chain
            var seen: Set<NftRule> = []
            unique.rules = chain.rules.filter { seen.insert($0).inserted }
            return unique
        }
        let table = NftTable(family: "inet", name: Self.tableName, sets: zoneSets(), chains: chains)
        return GeneratedRuleset(
            target: target, table: table, expired: plan.expired, marker: marker, generator: self)
    }

    /// One address set per zone and family that has prefixes.
    func zoneSets() -> [NftSet] {
        var sets: [NftSet] = []
        for zone in plan.zones {
            for family in AddressFamily.allCases {
                let elements = IntervalSet(prefixes: zone.prefixes, family: family)
                if elements.isEmpty { continue }
                sets.append(
                    NftSet(
                        name: names.zoneSet(zone.id, family), type: family.setType, elements: elements,
                        comment: "zone \(zone.id) (\(zone.kind.rawValue))"))
            }
        }
        return sets
    }

    /// How a flow's source or destination narrows a rule in one family.
    enum AddressConstraint {
        /// The side has no addresses of the family: no rule.
        case impossible
        /// Any address (`any`).
        case unconstrained
        case match(NftMatch)
    }

    /// The match for "the address is in `source`" in one family.
    func addressMatch(_ source: FlowSource, _ family: AddressFamily, isSource: Bool) -> AddressConstraint {
        let field = NftField.address(family, source: isSource)
        switch source {
        case .any:
            return .unconstrained
        case .zone(let id):
            guard let zone = plan.zone(id), !IntervalSet(prefixes: zone.prefixes, family: family).isEmpty else {
                return .impossible
            }
            return .match(NftMatch(field, .setReference(names.zoneSet(id, family))))
        case .prefix(let prefix):
            guard AddressFamily(prefix.network) == family else { return .impossible }
            return .match(NftMatch(field, .intervals(IntervalSet(prefixes: [prefix], family: family))))
        }
    }

    /// The accepting rule of a flow for one transport, with a comment naming its policy object.
    func flowRule(_ flow: DeclaredFlow, _ transport: Transport, matches: [NftMatch], egress: Bool = false) -> NftRule {
        var rule = NftRule(
            matches: matches + [
                NftMatch(.port(transport.rawValue, source: false), .intervals(flow.portSet(transport)))
            ],
            counter: true, verdict: .accept)
        let direction = egress ? "egress " : ""
        switch flow.origin {
        case .service(let id):
            rule.comment = Self.comment("\(direction)service \(id)")
        case .exception(let id, let expires):
            rule.comment = Self.comment("\(direction)exception \(id) expires \(expires.map(\.description) ?? "never")")
            rule.logPrefix = NftLogPrefix.exception(id)
        }
        return rule
    }

    /// nftables keeps at most 128 bytes of comment.
    static func comment(_ text: String) -> String {
        var bytes = Array(text.utf8.prefix(128))
        while !bytes.isEmpty, String(validating: bytes, as: UTF8.self) == nil { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The rules every base chain starts with: replies of allowed connections, invalid packets.
    func statefulRules(marker: String?) -> [NftRule] {
        [
            NftRule(
                matches: [NftMatch(.ctState, .names(["established", "related"]))], counter: true, verdict: .accept,
                comment: marker.map(Self.comment)),
            NftRule(matches: [NftMatch(.ctState, .names(["invalid"]))], counter: true, verdict: .drop),
        ]
    }
}
