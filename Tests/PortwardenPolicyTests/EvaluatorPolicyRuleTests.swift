import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@Suite("Evaluator: justification, review cadence, stale services")
struct EvaluatorPolicyRuleTests {
    /// Justification, approver and approval date are 1.2.5 (identified, approved, business need);
    /// only the owner is 1.1.2.
    static let justificationCases: [(String?, String?, String?, [String], String)] = [
        (nil, "owner", "ciso", ["1.2.5"], "justification"),
        ("Needed", nil, "ciso", ["1.1.2"], "owner"),
        ("Needed", "team", nil, ["1.2.5"], "approved-by"),
        ("   ", nil, nil, ["1.2.5", "1.1.2"], "justification, approved-by and owner"),
    ]

    @Test(arguments: justificationCases)
    func missingJustification(
        justification: String?, owner: String?, approvedBy: String?, requirements: [String], named: String
    ) throws {
        let service = Fixture.service(
            "legacy", zone: "corp", hosts: ["10.0.1.1"], ports: Fixture.ports("tcp/8443"), justification: justification,
            owner: owner, approvedBy: approvedBy)
        let findings = Fixture.evaluate([], policy: Fixture.policy(services: [service]))
            .rule(EvaluationRule.missingJustification)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.subject == "legacy")
        #expect(finding.severity == .medium)
        #expect(finding.requirements.map(\.id) == requirements)
        #expect(finding.message.contains(named))
    }

    @Test func exceptionWithoutApprovalDateIsReportedAndDischargesNothing() throws {
        var exception = Fixture.telnetException(expires: Fixture.day("2026-12-31"))
        exception.approvedOn = nil
        let findings = Fixture.evaluate(
            [Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt")], policy: Fixture.policy(exceptions: [exception]))
        let missing = try #require(findings.rule(EvaluationRule.missingJustification).first)
        #expect(missing.requirements.map(\.id) == ["1.2.5"], "approval is 1.2.5, never 1.1.2")
        #expect(missing.message.contains("approved-on"))
        let port = try #require(findings.rule(EvaluationRule.unauthorizedPort).first)
        #expect(port.severity == .critical)
        #expect(port.message.contains("Exception EX-7 covers it but cannot discharge it: no approved-on"))
    }

    @Test func exceptionsNeedJustificationToo() throws {
        var exception = Fixture.telnetException(expires: Fixture.day("2027-06-30"))
        exception.justification = nil
        let findings = Fixture.evaluate([], policy: Fixture.policy(exceptions: [exception]))
        let finding = try #require(findings.rule(EvaluationRule.missingJustification).first)
        #expect(finding.subject == "EX-7")
        #expect(finding.message.hasPrefix("Exception EX-7"))
    }

    /// Last review 2026-05-29 with a six-month cadence falls due on 2026-11-29.
    @Test(arguments: [
        ("2026-11-29T23:59:59Z", nil as Severity?), ("2026-11-30T00:00:00Z", .medium),
        ("2027-05-29T12:00:00Z", .medium),
        ("2027-05-30T00:00:00Z", .high),
    ])
    func reviewOverdue(now: String, expected: Severity?) throws {
        let policy = Fixture.policy(lastReview: Fixture.day("2026-05-29"))
        let findings = Fixture.evaluate([], policy: policy, at: Fixture.date(now)).rule(EvaluationRule.reviewOverdue)
        guard let expected else {
            #expect(findings.isEmpty, "due today is not overdue")
            return
        }
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == expected)
        #expect(finding.message.contains("2026-11-29"), "names the due date")
        #expect(finding.requirements.map(\.id) == ["1.2.7"])
        #expect(finding.subject == "review")
    }

    @Test func noReviewRecorded() throws {
        let findings = Fixture.evaluate([], policy: Fixture.policy(lastReview: nil)).rule(EvaluationRule.reviewOverdue)
        let finding = try #require(findings.first)
        #expect(finding.severity == .medium)
        #expect(finding.message.contains("No NSC configuration review"))
    }

    @Test func zoneWithStricterCadence() throws {
        var zones = Fixture.zones
        zones[0].review = ReviewCadence(count: 90, unit: .days)
        let policy = Fixture.policy(zones: zones, lastReview: Fixture.day("2026-08-01"))
        let findings = Fixture.evaluate([], policy: policy).rule(EvaluationRule.reviewOverdue)
        let finding = try #require(findings.first)
        #expect(findings.count == 1, "only the 90-day zone is overdue")
        #expect(finding.zone == "cde-db")
        #expect(finding.subject == "cde-db")
        #expect(finding.message.contains("2026-10-30"))
    }

    @Test func looserCadenceIsJudgedAsSixMonths() {
        let policy = Fixture.policy(
            lastReview: Fixture.day("2026-04-01"), every: ReviewCadence(count: 12, unit: .months))
        #expect(Fixture.evaluate([], policy: policy).rule(EvaluationRule.reviewOverdue).count == 1)
    }

    struct StaleCase: Sendable, CustomTestStringConvertible {
        var name: String
        var observations: [Observation]
        var stale: [String]
        var testDescription: String { name }
    }

    static let staleCases: [StaleCase] = [
        .init(name: "never probed", observations: [], stale: []),
        .init(
            name: "probed closed", observations: [Fixture.obs("10.20.1.10", port: 5432, state: .closed)],
            stale: ["pg-primary"]),
        .init(
            name: "probed filtered, then open",
            observations: [
                Fixture.obs("10.20.1.10", port: 5432, state: .filtered),
                Fixture.obs("10.20.1.10", port: 5432, vantage: "cde-app"),
            ], stale: []),
        .init(
            name: "host inventory of the host without the port",
            observations: [Fixture.obs("10.20.1.10", port: 22, source: .host, vantage: "cde-db")], stale: ["pg-primary"]
        ),
        .init(
            name: "whole-zone service probed closed",
            observations: [Fixture.obs("10.0.8.8", port: 443, state: .closed)],
            stale: ["web"]),
        .init(
            name: "whole-zone service open on another host",
            observations: [
                Fixture.obs("10.0.8.8", port: 443, state: .closed), Fixture.obs("10.0.8.9", port: 443),
            ], stale: []),
        .init(
            name: "whole-zone service: host inventory alone is not enough",
            observations: [Fixture.obs("10.0.8.8", port: 22, source: .host)], stale: []),
        .init(
            name: "IPv6 service probed closed",
            observations: [Fixture.obs("2001:db8:20::10", port: 8443, state: .closed)], stale: ["api-v6"]),
    ]

    @Test(arguments: staleCases)
    func staleService(_ testCase: StaleCase) {
        let findings = Fixture.evaluate(testCase.observations).rule(EvaluationRule.staleService)
        #expect(findings.compactMap(\.subject).sorted() == testCase.stale)
        for finding in findings {
            #expect(finding.severity == .low)
            #expect(finding.requirements.map(\.id) == ["1.2.7"])
            #expect(finding.message.contains("never seen open"))
        }
    }
}
