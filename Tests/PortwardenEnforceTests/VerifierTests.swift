import PortwardenCore
import PortwardenEnforce
import Testing

/// The verifier against rulesets built in memory: the generated table as the kernel would list it,
/// then with one change each.
@Suite("ruleset verification")
struct VerifierTests {
    static let day = "2026-12-01"

    static func generated(_ target: EnforcementTarget = .router) throws -> (GeneratedRuleset, RulesetVerifier) {
        let generator = try Fixtures.generator("lab-policy.yaml", at: day)
        let generated = try generator.generate(for: target)
        return (generated, RulesetVerifier(plan: generator.plan, target: target))
    }

    /// The generated table with handles numbered as the kernel would.
    static func deployed(_ generated: GeneratedRuleset) -> NftRuleset {
        var table = generated.table
        var handle = 10
        for c in table.chains.indices {
            for r in table.chains[c].rules.indices {
                table.chains[c].rules[r].handle = handle
                handle += 1
            }
        }
        return NftRuleset(tables: [table])
    }

    @Test(arguments: [EnforcementTarget.router, .host(IPAddress("10.90.3.10")!), .host(IPAddress("10.90.4.10")!)])
    func generatedRulesetVerifiesClean(_ target: EnforcementTarget) throws {
        let (generated, verifier) = try Self.generated(target)
        let report = verifier.verify(Self.deployed(generated), expected: generated)
        #expect(report.findings.isEmpty, "\(report.findings.map(\.message))")
        #expect(report.notes.isEmpty, "\(report.notes)")
        #expect(report.acceptRulesExamined > 0)
        #expect(report.flowsChecked > 0)
    }

    @Test func handAddedAcceptIsOverPermissiveAndDrift() throws {
        let (generated, verifier) = try Self.generated()
        var ruleset = Self.deployed(generated)
        let chain = try #require(ruleset.tables[0].chains.firstIndex { $0.name == "into_cde_db" })
        let added = NftRule(
            handle: 99, matches: [NftMatch(.port("tcp", source: false), .intervals(IntervalSet(22...22)))],
            verdict: .accept)
        ruleset.tables[0].chains[chain].rules.insert(added, at: 0)
        let report = verifier.verify(ruleset, expected: generated)
        let permissive = report.findings.filter { $0.rule == "PW-OVER-PERMISSIVE-RULE" }
        #expect(permissive.count == 1)
        let finding = try #require(permissive.first)
        #expect(finding.subject == "inet portwarden into_cde_db handle 99")
        #expect(finding.severity == .high)
        #expect(finding.port == 22)
        #expect(finding.zone == "cde-db")
        // Sources include corp (out of scope), wireless and cde-app: every zone-pair tag applies.
        #expect(finding.requirements.map(\.id) == ["1.2.1", "1.3.1", "1.3.2", "1.3.3", "12.5.2"])
        #expect(!finding.requirements.contains(Requirement("11.4.5")))
        let drift = report.findings.filter { $0.rule == "PW-CONFIG-DRIFT" }
        #expect(drift.map(\.subject) == ["inet portwarden into_cde_db handle 99"])
        #expect(drift.first?.requirements.map(\.id) == ["1.2.1", "1.2.8"])
    }

    @Test func acceptFromOneUndeclaredZoneGetsThatPairsTags() throws {
        let (generated, verifier) = try Self.generated()
        var ruleset = Self.deployed(generated)
        let chain = try #require(ruleset.tables[0].chains.firstIndex { $0.name == "into_cde_db" })
        let added = NftRule(
            handle: 98,
            matches: [
                NftMatch(.address(.ipv4, source: true), .setReference("zone_wireless_v4")),
                NftMatch(.port("tcp", source: false), .intervals(IntervalSet(5432...5432))),
            ], verdict: .accept)
        ruleset.tables[0].chains[chain].rules.insert(added, at: 0)
        let finding = try #require(verifier.verify(ruleset, expected: nil).findings.first)
        #expect(finding.rule == "PW-OVER-PERMISSIVE-RULE")
        #expect(finding.requirements.map(\.id) == ["1.2.1", "1.3.1", "1.3.3"])
    }

    @Test func removedServiceRuleBlocksTheDeclaredFlow() throws {
        let (generated, verifier) = try Self.generated()
        var ruleset = Self.deployed(generated)
        let chain = try #require(ruleset.tables[0].chains.firstIndex { $0.name == "into_cde_db" })
        ruleset.tables[0].chains[chain].rules.removeAll { $0.comment == "service card-vault" }
        let report = verifier.verify(ruleset, expected: generated)
        let blocked = report.findings.filter { $0.rule == "PW-FLOW-BLOCKED" }
        #expect(blocked.map(\.subject) == ["card-vault"])
        #expect(blocked.first?.severity == .info)
        #expect(blocked.first?.requirements == [])
        let dropHandle = try #require(ruleset.tables[0].chains[chain].rules.last?.handle)
        #expect(blocked.first?.message.contains("inet portwarden into_cde_db handle \(dropHandle)") == true)
        #expect(report.findings.contains { $0.rule == "PW-CONFIG-DRIFT" && $0.message.contains("service card-vault") })
    }

    @Test func policyAcceptWithoutDropIsMissingDefaultDeny() throws {
        let (generated, verifier) = try Self.generated()
        var ruleset = Self.deployed(generated)
        let forward = try #require(ruleset.tables[0].chains.firstIndex { $0.name == "forward" })
        ruleset.tables[0].chains[forward].binding?.policy = "accept"
        ruleset.tables[0].chains[forward].rules.removeLast()
        for index in ruleset.tables[0].chains.indices where ruleset.tables[0].chains[index].name.hasPrefix("into_") {
            ruleset.tables[0].chains[index].rules.removeLast()
        }
        let report = verifier.verify(ruleset, expected: nil)
        let missing = report.findings.filter { $0.rule == "PW-DEFAULT-DENY-MISSING" }
        #expect(missing.count == 1)
        #expect(missing.first?.severity == .critical)
        #expect(missing.first?.requirements.map(\.id) == ["1.3.1", "1.3.2"])
    }

    @Test func emptyRulesetHasNoDefaultDenyAndBlocksNothing() throws {
        let (_, verifier) = try Self.generated(.host(IPAddress("10.90.3.10")!))
        let report = verifier.verify(NftRuleset(), expected: nil)
        #expect(report.findings.map(\.rule) == ["PW-DEFAULT-DENY-MISSING", "PW-DEFAULT-DENY-MISSING"])
        #expect(Set(report.findings.flatMap(\.requirements).map(\.id)) == ["1.3.1", "1.3.2"])
    }

    @Test func acceptInAnotherTableIsHeldByOurDefaultDrop() throws {
        // An accept-all in a second table's base chain does not override our drop (a drop is final).
        let (generated, verifier) = try Self.generated()
        var ruleset = Self.deployed(generated)
        ruleset.tables.append(
            NftTable(
                family: "ip", name: "other",
                chains: [
                    NftChain(
                        name: "fw",
                        binding: NftHookBinding(type: "filter", hook: "forward", priority: -10, policy: "accept"),
                        rules: [NftRule(handle: 3, verdict: .accept)])
                ]))
        let report = verifier.verify(ruleset, expected: generated)
        #expect(report.findings.isEmpty, "\(report.findings.map(\.message))")
    }
}
