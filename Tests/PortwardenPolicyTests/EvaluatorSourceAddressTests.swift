import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

/// `allow-from` prefixes judged against the scan's recorded source address, and vantage labels that
/// the source address contradicts.
@Suite("Evaluator: allow-from against the recorded source address")
struct EvaluatorSourceAddressTests {
    static func scan(_ host: String, port: UInt16, vantage: String?, source: String?) -> Observation {
        var observation = Fixture.obs(host, port: port, vantage: vantage)
        observation.sourceAddress = source.map(Fixture.ip)
        return observation
    }

    /// EX-7 allows only 10.30.0.5/32 (a jump host in mgmt) to reach telnet on 10.20.1.12.
    static let policy = Fixture.policy(exceptions: [
        Fixture.telnetException(expires: Fixture.day("2026-12-31"), allowFrom: ["10.30.0.5/32"])
    ])

    /// (vantage label, source address, PW-SOURCE-NOT-PERMITTED severity or nil, contradicted?)
    @Test(
        arguments: [
            ("mgmt", "10.30.0.5", nil, false), ("mgmt", "10.30.0.6", Severity.critical, false),
            (nil, "10.30.0.5", nil, false), ("corp", "10.30.0.5", nil, true), ("mgmt", "10.0.0.9", .critical, true),
            ("mgmt", "192.0.2.1", .critical, true),
        ] as [(String?, String, Severity?, Bool)])
    func prefixEntryIsJudgedOnTheSourceAddress(
        vantage: String?, source: String, severity: Severity?, contradicted: Bool
    ) throws {
        let findings = Fixture.evaluate(
            [Self.scan("10.20.1.12", port: 23, vantage: vantage, source: source)], policy: Self.policy)
        let denied = findings.rule(EvaluationRule.sourceNotPermitted)
        if let severity {
            let finding = try #require(denied.first)
            #expect(finding.severity == severity)
            #expect(finding.message.contains(source))
        } else {
            #expect(denied.isEmpty, "\(denied.map(\.message))")
        }
        let conflict = findings.rule(EvaluationRule.vantageContradicted)
        #expect(conflict.count == (contradicted ? 1 : 0), "\(conflict.map(\.message))")
        if let finding = conflict.first {
            #expect(finding.severity == .medium)
            #expect(finding.requirements.isEmpty)
            #expect(finding.message.contains(source))
        }
    }

    @Test func withoutASourceAddressTheVantageZoneMustLieInsideThePrefix() {
        let inside = Fixture.policy(exceptions: [
            Fixture.telnetException(expires: Fixture.day("2026-12-31"), allowFrom: ["10.30.0.0/16"])
        ])
        let narrow = Self.policy
        let observation = Self.scan("10.20.1.12", port: 23, vantage: "mgmt", source: nil)
        #expect(Fixture.evaluate([observation], policy: inside).rule(EvaluationRule.sourceNotPermitted).isEmpty)
        #expect(Fixture.evaluate([observation], policy: narrow).rule(EvaluationRule.sourceNotPermitted).count == 1)
    }

    @Test func theSourceAddressZoneDecidesZoneEntries() {
        // pg-primary allows cde-app; a scan labelled corp whose probes left from a cde-app address is allowed.
        let findings = Fixture.evaluate([Self.scan("10.20.1.10", port: 5432, vantage: "corp", source: "10.20.2.9")])
        #expect(findings.rule(EvaluationRule.sourceNotPermitted).isEmpty)
        #expect(findings.rule(EvaluationRule.vantageContradicted).count == 1)
    }

    @Test func theShippedExampleEX7WorksFromItsJumpHost() throws {
        let loaded = PolicyLoader.load(contentsOf: PolicyFixtures.path("examples/multi-zone.yaml"))
        let policy = try #require(loaded.policy, "\(loaded.rendered)")
        var telnet = Self.scan("10.20.1.12", port: 23, vantage: "security", source: "10.20.9.5")
        telnet.handshakes = ["INS-TELNET": "confirmed"]
        let findings = Evaluator(policy: policy).evaluate([telnet], at: Fixture.date("2026-11-29T10:00:00Z"))
        #expect(findings.rule(EvaluationRule.sourceNotPermitted).isEmpty, "\(findings.map(\.message))")
        #expect(findings.rule(EvaluationRule.unauthorizedPort).isEmpty)
        let telnetFinding = try #require(findings.rule(EvaluationRule.insecureService).first)
        #expect(telnetFinding.requirements.map(\.id) == ["2.2.7", "8.3.2"])
        #expect(telnetFinding.severity == .medium)
        #expect(telnetFinding.message.contains("in place via compensating control CCW-2026-03"))
        #expect(!telnetFinding.message.lowercased().contains("compensating control exception"))
        var other = telnet
        other.sourceAddress = Fixture.ip("10.20.9.6")
        let fromNeighbour = Evaluator(policy: policy).evaluate([other], at: Fixture.date("2026-11-29T10:00:00Z"))
        let denied = try #require(fromNeighbour.rule(EvaluationRule.sourceNotPermitted).first)
        #expect(denied.severity == .critical)
        #expect(denied.requirements.map(\.id) == ["1.2.5", "1.3.1"])
    }
}
