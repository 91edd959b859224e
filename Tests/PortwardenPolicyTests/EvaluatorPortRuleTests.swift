import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@Suite("Evaluator: unauthorized ports, hosts outside zones, source checks")
struct EvaluatorPortRuleTests {
    struct UnauthorizedCase: Sendable, CustomTestStringConvertible {
        var name: String
        var observation: Observation
        var severity: Severity
        var requirements: [String]
        var testDescription: String { name }
    }

    static let unauthorizedCases: [UnauthorizedCase] = [
        .init(
            name: "CDE host scanned from corp", observation: Fixture.obs("10.20.1.50", port: 8080), severity: .critical,
            requirements: ["1.2.5", "1.3.1", "2.2.4"]),
        .init(
            name: "CDE host scanned from CDE", observation: Fixture.obs("10.20.1.50", port: 8080, vantage: "cde-app"),
            severity: .high, requirements: ["1.2.5", "2.2.4"]),
        .init(
            name: "CDE host scanned from unknown vantage",
            observation: Fixture.obs("10.20.1.50", port: 8080, vantage: nil), severity: .high,
            requirements: ["1.2.5", "2.2.4"]),
        .init(
            name: "corp host scanned from corp", observation: Fixture.obs("10.0.5.5", port: 8080), severity: .low,
            requirements: []),
        .init(
            name: "CDE host, host inventory",
            observation: Fixture.obs("10.20.1.50", port: 8080, source: .host, vantage: "cde-db"), severity: .high,
            requirements: ["2.2.4"]),
        .init(
            name: "security host, host inventory",
            observation: Fixture.obs("10.30.0.5", port: 8080, source: .host, vantage: "mgmt"), severity: .medium,
            requirements: ["2.2.4"]),
        .init(
            name: "corp host, host inventory",
            observation: Fixture.obs("10.0.5.5", port: 8080, source: .host, vantage: "corp"), severity: .info,
            requirements: []),
        .init(
            name: "IPv6 CDE host from corp", observation: Fixture.obs("2001:db8:20::99", port: 8080),
            severity: .critical, requirements: ["1.2.5", "1.3.1", "2.2.4"]),
        .init(
            name: "IPv6 out-of-scope host from IPv6 corp",
            observation: Fixture.obs("2001:db8:99::5", port: 8080, vantage: "corp-v6"), severity: .low,
            requirements: []),
        .init(
            name: "UDP open|filtered from the host agent",
            observation: Fixture.obs("10.30.0.5", .udp, port: 4444, state: .openFiltered, source: .host),
            severity: .medium, requirements: ["2.2.4"]),
    ]

    @Test(arguments: unauthorizedCases)
    func unauthorizedPortSeverity(_ testCase: UnauthorizedCase) throws {
        let findings = Fixture.evaluate([testCase.observation]).rule(EvaluationRule.unauthorizedPort)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == testCase.severity)
        #expect(finding.host == testCase.observation.host)
        #expect(finding.port == testCase.observation.port)
        #expect(finding.requirements.map(\.id) == testCase.requirements)
        #expect(finding.message.contains(testCase.observation.host.description))
        #expect(finding.message.contains("\(testCase.observation.transport.rawValue)/\(testCase.observation.port)"))
        #expect(!finding.remediation.isEmpty)
        #expect(finding.evidence.first?.kind == "observation")
        if testCase.requirements.isEmpty { #expect(finding.message.contains("no requirement is claimed")) }
        if testCase.observation.vantage == nil { #expect(finding.message.contains("Vantage unknown")) }
    }

    @Test(arguments: [
        ("declared service", Fixture.obs("10.20.1.10", port: 5432, vantage: "cde-app")),
        ("whole-zone service", Fixture.obs("10.0.7.7", port: 443)),
        ("UDP open|filtered from a scan", Fixture.obs("10.20.1.50", .udp, port: 4444, state: .openFiltered)),
        ("closed port", Fixture.obs("10.20.1.50", port: 8080, state: .closed)),
        ("IPv6 declared service", Fixture.obs("2001:db8:20::10", port: 8443, vantage: "cde-app")),
    ])
    func noUnauthorizedFinding(name: String, observation: Observation) {
        let findings = Fixture.evaluate([observation])
        #expect(findings.rule(EvaluationRule.unauthorizedPort).isEmpty, "\(name): \(findings.map(\.message))")
    }

    @Test func aggregatesVantagesIntoOneFinding() throws {
        let findings = Fixture.evaluate([
            Fixture.obs("10.20.1.50", port: 8080, vantage: "cde-app"),
            Fixture.obs("10.20.1.50", port: 8080, vantage: "corp"),
            Fixture.obs("10.20.1.50", port: 8080, vantage: "corp", time: Fixture.date("2026-11-29T09:30:00Z")),
        ]).rule(EvaluationRule.unauthorizedPort)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.evidence.count == 3)
        #expect(finding.severity == .critical, "a corp vantage reached a CDE host")
        #expect(finding.message.contains("cde-app and corp"))
    }

    @Test func validExceptionCoversAnUndeclaredPort() {
        let policy = Fixture.policy(exceptions: [Fixture.telnetException(expires: Fixture.day("2026-12-31"))])
        let findings = Fixture.evaluate([Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt")], policy: policy)
        #expect(findings.rule(EvaluationRule.unauthorizedPort).isEmpty)
        #expect(findings.rule(EvaluationRule.insecureService).isEmpty, "the exception names no rules: it accepts all")
        // The same exception does not cover the neighbour host.
        let neighbour = Fixture.evaluate([Fixture.obs("10.20.1.13", port: 23, vantage: "mgmt")], policy: policy)
        #expect(neighbour.rule(EvaluationRule.unauthorizedPort).count == 1)
    }

    @Test func exceptionLimitedToAnotherRuleDoesNotCoverThePort() {
        let policy = Fixture.policy(exceptions: [
            Fixture.telnetException(expires: Fixture.day("2026-12-31"), rules: [EvaluationRule.bindScopeWider])
        ])
        let findings = Fixture.evaluate([Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt")], policy: policy)
        #expect(findings.rule(EvaluationRule.unauthorizedPort).count == 1)
    }

    @Test func hostOutsideZonesIsOneFindingPerHost() throws {
        let findings = Fixture.evaluate([
            Fixture.obs("172.16.5.5", port: 22), Fixture.obs("172.16.5.5", port: 80),
            Fixture.obs("172.16.5.5", port: 81, state: .closed), Fixture.obs("2001:db8:77::1", port: 22),
        ])
        let outside = findings.rule(EvaluationRule.hostOutsideZones)
        #expect(outside.count == 2)
        let v4 = try #require(outside.first { $0.host == Fixture.ip("172.16.5.5") })
        #expect(v4.severity == .medium)
        #expect(v4.requirements.map(\.id) == ["12.5.1"])
        #expect(v4.message.contains("2 open ports"))
        #expect(v4.message.contains("tcp/22, tcp/80"))
        #expect(v4.zone == nil)
        #expect(findings.rule(EvaluationRule.unauthorizedPort).isEmpty)
    }

    struct SourceCase: Sendable, CustomTestStringConvertible {
        var name: String
        var observation: Observation
        var expected: Severity?
        var requirements: [String] = []
        var testDescription: String { name }
    }

    static let sourceCases: [SourceCase] = [
        .init(
            name: "corp scans the CDE database", observation: Fixture.obs("10.20.1.10", port: 5432),
            expected: .critical,
            requirements: ["1.2.5", "1.3.1", "12.5.2"]),
        .init(
            name: "allowed zone", observation: Fixture.obs("10.20.1.10", port: 5432, vantage: "cde-app"), expected: nil),
        .init(name: "own zone", observation: Fixture.obs("10.20.1.10", port: 5432, vantage: "cde-db"), expected: nil),
        .init(
            name: "zone inside an allowed prefix", observation: Fixture.obs("10.20.1.10", port: 5432, vantage: "mgmt"),
            expected: nil),
        .init(
            name: "host inventory is not a reachability test",
            observation: Fixture.obs("10.20.1.10", port: 5432, source: .host, vantage: "corp"), expected: nil),
        .init(
            name: "allow-from any", observation: Fixture.obs("10.0.9.9", port: 443, vantage: "cde-db"), expected: nil),
        .init(
            name: "IPv6 service from a CDE zone not allowed",
            observation: Fixture.obs("2001:db8:20::10", port: 8443, vantage: "cde-db"), expected: .high,
            requirements: ["1.2.5"]),
        .init(
            name: "IPv6 service from corp-v6",
            observation: Fixture.obs("2001:db8:20::10", port: 8443, vantage: "corp-v6"),
            expected: .critical, requirements: ["1.2.5", "1.3.1", "12.5.2"]),
        .init(
            name: "unknown vantage", observation: Fixture.obs("10.20.1.10", port: 5432, vantage: nil), expected: .high,
            requirements: ["1.2.5"]),
    ]

    @Test(arguments: sourceCases)
    func sourceNotPermitted(_ testCase: SourceCase) throws {
        let findings = Fixture.evaluate([testCase.observation]).rule(EvaluationRule.sourceNotPermitted)
        guard let expected = testCase.expected else {
            #expect(findings.isEmpty, "\(findings.map(\.message))")
            return
        }
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == expected)
        #expect(finding.requirements.map(\.id) == testCase.requirements)
        #expect(!finding.requirements.contains(Requirement("11.4.5")), "11.4.5 is never a finding's id")
        #expect(finding.message.contains(testCase.observation.vantage ?? "unknown vantage"))
        #expect(finding.message.contains("allow-from"))
        let outOfScope = ["corp", "corp-v6", nil].contains(testCase.observation.vantage)
        #expect(finding.remediation.contains("add the zone") == !outOfScope, "\(finding.remediation)")
        if outOfScope { #expect(finding.remediation.contains("Do not add the source to allow-from")) }
    }

    @Test func exceptionAllowFromIsCheckedToo() throws {
        let policy = Fixture.policy(exceptions: [Fixture.telnetException(expires: Fixture.day("2026-12-31"))])
        let fromMgmt = Fixture.evaluate([Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt")], policy: policy)
        #expect(fromMgmt.rule(EvaluationRule.sourceNotPermitted).isEmpty)
        let fromCorp = Fixture.evaluate([Fixture.obs("10.20.1.12", port: 23, vantage: "corp")], policy: policy)
        let finding = try #require(fromCorp.rule(EvaluationRule.sourceNotPermitted).first)
        #expect(finding.subject == "EX-7")
        #expect(finding.severity == .critical)
    }
}
