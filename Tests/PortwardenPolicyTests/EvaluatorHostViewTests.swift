import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@Suite("Evaluator: host-view rules (bind scope, process)")
struct EvaluatorHostViewTests {
    static func agent(_ host: String, _ port: UInt16, bind: BindScope? = nil, process: String? = nil) -> Observation {
        Fixture.obs(host, port: port, source: .host, vantage: nil, process: process, bind: bind)
    }

    @Test(arguments: [
        (BindScope.wildcard, true), (.address, true), (.loopback, false), (.container, false),
    ])
    func bindScopeWider(bind: BindScope, reported: Bool) throws {
        let findings = Fixture.evaluate([Self.agent("10.20.2.5", 6379, bind: bind)]).rule(EvaluationRule.bindScopeWider)
        #expect(findings.count == (reported ? 1 : 0))
        if let finding = findings.first {
            #expect(finding.severity == .high, "cde-app is a CDE zone")
            #expect(finding.subject == "redis-local")
            #expect(finding.requirements.map(\.id) == ["2.2.4"], "host evidence alone: 2.2.4 only")
            #expect(finding.message.contains("loopback"))
        }
    }

    /// (zone, host, severity, ids): medium in a security zone; an out-of-scope host is hygiene.
    @Test(arguments: [("mgmt", "10.30.0.2", Severity.medium, ["2.2.4"]), ("corp", "10.0.2.2", .info, [])])
    func bindScopeWiderOutsideTheCDE(zone: String, host: String, severity: Severity, ids: [String]) throws {
        let service = Fixture.service(
            "metrics", zone: zone, hosts: [host], ports: Fixture.ports("tcp/9100"), bind: .loopback)
        let findings = Fixture.evaluate(
            [Self.agent(host, 9100, bind: .wildcard)], policy: Fixture.policy(services: [service]))
        let finding = try #require(findings.rule(EvaluationRule.bindScopeWider).first)
        #expect(finding.severity == severity)
        #expect(finding.requirements.map(\.id) == ids)
    }

    @Test func wildcardListenerIsNotJudgedUnderLoopback() {
        let findings = Fixture.evaluate([
            Self.agent("127.0.0.1", 22, bind: .wildcard, process: "/usr/sbin/sshd"),
            Self.agent("::1", 22, bind: .wildcard, process: "/usr/sbin/sshd"),
        ])
        #expect(findings.rule(EvaluationRule.hostOutsideZones).isEmpty, "\(findings.map(\.message))")
        let bound = Fixture.evaluate([Self.agent("127.0.0.1", 631, bind: .loopback)])
        #expect(bound.rule(EvaluationRule.hostOutsideZones).count == 1, "a loopback-bound listener is its own host")
    }

    @Test func scanSeeingAWideListenerIsNotAHostViewFinding() {
        let findings = Fixture.evaluate([Fixture.obs("10.20.2.5", port: 6379, vantage: "cde-app")])
        #expect(findings.rule(EvaluationRule.bindScopeWider).isEmpty)
    }

    @Test(arguments: [
        ("/usr/lib/postgresql/16/bin/postgres", false), ("postgres", false), ("/usr/bin/nc", true),
        ("/usr/sbin/postgresql-proxy", true),
    ])
    func unexpectedProcess(process: String, reported: Bool) throws {
        let findings = Fixture.evaluate([Self.agent("10.20.1.10", 5432, process: process)])
            .rule(EvaluationRule.unexpectedProcess)
        #expect(findings.count == (reported ? 1 : 0))
        if let finding = findings.first {
            #expect(finding.severity == .high)
            #expect(finding.subject == "pg-primary")
            #expect(finding.message.contains(process))
            #expect(finding.message.contains("postgres"))
            #expect(finding.requirements.map(\.id) == ["2.2.4"])
        }
    }

    @Test func fullDeclaredPathMustMatchExactly() {
        let service = Fixture.service(
            "ssh", zone: "mgmt", hosts: ["10.30.0.2"], ports: Fixture.ports("tcp/22"), process: "/usr/sbin/sshd")
        let policy = Fixture.policy(services: [service])
        let same = Fixture.evaluate([Self.agent("10.30.0.2", 22, process: "/usr/sbin/sshd")], policy: policy)
        let other = Fixture.evaluate([Self.agent("10.30.0.2", 22, process: "/tmp/sshd")], policy: policy)
        #expect(same.rule(EvaluationRule.unexpectedProcess).isEmpty)
        let finding = other.rule(EvaluationRule.unexpectedProcess).first
        #expect(finding?.severity == .medium)
    }
}

@Suite("Evaluator: fingerprints, ordering, scale")
struct EvaluatorFingerprintTests {
    static let observations: [Observation] = [
        Fixture.obs("10.20.1.50", port: 8080), Fixture.obs("10.20.1.13", port: 23),
        Fixture.obs("10.20.1.10", port: 5432), Fixture.obs("172.16.5.5", port: 22),
        Fixture.obs("2001:db8:20::99", port: 8080), Fixture.obs("10.20.1.10", port: 5432, state: .closed),
    ]

    @Test func sameInputGivesSameFingerprints() {
        let first = Fixture.evaluate(Self.observations)
        let second = Fixture.evaluate(Self.observations.reversed())
        #expect(!first.isEmpty)
        #expect(first.map(\.fingerprint) == second.map(\.fingerprint))
        #expect(Set(first.map(\.fingerprint)).count == first.count, "no two findings share a fingerprint")
    }

    @Test func rewordingAndMoreEvidenceKeepTheFingerprint() throws {
        let before = try #require(
            Fixture.evaluate([Fixture.obs("10.20.1.50", port: 8080)]).rule(EvaluationRule.unauthorizedPort).first)
        let after = try #require(
            Fixture.evaluate([
                Fixture.obs("10.20.1.50", port: 8080, vantage: "cde-app"),
                Fixture.obs("10.20.1.50", port: 8080, vantage: "cde-app", time: Fixture.date("2026-11-29T09:45:00Z")),
            ]).rule(EvaluationRule.unauthorizedPort).first)
        #expect(before.message != after.message)
        #expect(before.severity != after.severity)
        #expect(before.fingerprint == after.fingerprint)
        var reworded = before
        reworded.message = "Something else entirely"
        let rebuilt = Finding(
            rule: reworded.rule, severity: .low, requirements: [], zone: reworded.zone, host: reworded.host,
            transport: reworded.transport, port: reworded.port, subject: reworded.subject, message: reworded.message,
            remediation: "")
        #expect(rebuilt.fingerprint == before.fingerprint)
    }

    @Test func findingsAreInReportOrder() {
        let findings = Fixture.evaluate(Self.observations, policy: Fixture.policy(lastReview: nil))
        #expect(findings.count > 3)
        for (a, b) in zip(findings, findings.dropFirst()) { #expect(!Finding.reportOrder(b, a)) }
        #expect(findings.first?.severity == .critical)
    }

    @Test func ruleDescriptionsCoverEveryRaisedRule() {
        let ids = Set(EvaluationRule.all.map(\.id))
        #expect(ids.count == EvaluationRule.all.count)
        #expect(EvaluationRule.all.filter { $0.raisedBy.contains(.evaluator) }.count == 16)
        for description in EvaluationRule.all {
            #expect(description.requirements.allSatisfy { $0.isKnown }, "\(description.id)")
            #expect(!description.summary.isEmpty && !description.remediation.isEmpty)
        }
        let raised = Set(Fixture.evaluate(Self.observations, policy: Fixture.policy(lastReview: nil)).map(\.rule))
        #expect(raised.isSubset(of: ids))
    }

    /// Enough groups to split the work across threads: the result must not depend on it.
    @Test func parallelAndSerialAgree() {
        var observations: [Observation] = []
        for index in 0..<120_000 {
            let host = IPAddress(ipv4: 0x0A14_0100 | UInt32(index % 200))
            let port = UInt16(1000 + index / 200)
            observations.append(
                Observation(
                    time: Fixture.now, host: host, transport: .tcp, port: port, state: index % 7 == 0 ? .closed : .open,
                    source: .scan, vantage: index % 2 == 0 ? "corp" : "cde-app"))
        }
        let policy = Fixture.policy()
        let serial = Evaluator(policy: policy, options: EvaluationOptions(parallel: false)).evaluate(
            observations, at: Fixture.now)
        let parallel = Evaluator(policy: policy, options: EvaluationOptions(parallel: true)).evaluate(
            observations, at: Fixture.now)
        #expect(serial.count > 100_000)
        #expect(serial == parallel)
    }
}
