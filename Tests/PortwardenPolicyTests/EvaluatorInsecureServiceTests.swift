import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@Suite("Evaluator: insecure-service rule pack")
struct EvaluatorInsecureServiceTests {
    struct MatchCase: Sendable, CustomTestStringConvertible {
        var name: String
        var observation: Observation
        /// Expected (finding rule, pack id, severity, probable); nil = no finding from the pack.
        var expected: (rule: String, id: String, severity: Severity, probable: Bool)?
        var testDescription: String { name }
    }

    static let cases: [MatchCase] = [
        .init(
            name: "Telnet confirmed in the CDE",
            observation: Fixture.obs("10.20.1.13", port: 23, handshakes: ["INS-TELNET": "confirmed"]),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .critical, false)),
        .init(
            name: "Telnet port-only in the CDE", observation: Fixture.obs("10.20.1.13", port: 23),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .high, true)),
        .init(
            name: "Telnet not matched (SSH on 23)",
            observation: Fixture.obs("10.20.1.13", port: 23, handshakes: ["INS-TELNET": "not-matched"]), expected: nil),
        .init(
            name: "Telnet confirmed in corp",
            observation: Fixture.obs("10.0.3.3", port: 23, handshakes: ["INS-TELNET": "confirmed"]),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .high, false)),
        .init(
            name: "Telnet port-only in corp", observation: Fixture.obs("10.0.3.3", port: 2323),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .medium, true)),
        .init(
            name: "Telnet confirmed on a non-candidate port",
            observation: Fixture.obs("10.0.3.3", port: 2222, handshakes: ["INS-TELNET": "confirmed"]),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .high, false)),
        .init(
            name: "inconclusive handshake is port-only",
            observation: Fixture.obs("10.0.3.3", port: 21, handshakes: ["INS-FTP": "inconclusive"]),
            expected: (EvaluationRule.insecureService, "INS-FTP", .medium, true)),
        .init(
            name: "HTTP admin confirmed in the CDE",
            observation: Fixture.obs("10.20.2.8", port: 8080, handshakes: ["INS-HTTP-ADMIN": "confirmed"]),
            expected: (EvaluationRule.cleartextAdmin, "INS-HTTP-ADMIN", .critical, false)),
        .init(
            name: "declared PostgreSQL port-only",
            observation: Fixture.obs("10.20.1.10", port: 5432, vantage: "cde-app"),
            expected: (EvaluationRule.cleartextAuth, "INS-DB-CLEAR", .medium, true)),
        .init(
            name: "old TLS on a declared web port",
            observation: Fixture.obs("10.0.4.4", port: 443, tls: ["TLSv1.0", "TLSv1.2"]),
            expected: (EvaluationRule.insecureService, "INS-TLS-OLD", .high, false)),
        .init(
            name: "modern TLS only", observation: Fixture.obs("10.0.4.4", port: 443, tls: ["TLSv1.2", "TLSv1.3"]),
            expected: nil),
        .init(
            name: "UDP 514 from the host agent is syslog",
            observation: Fixture.obs("10.0.4.4", .udp, port: 514, source: .host, process: "/usr/sbin/rsyslogd"),
            expected: (EvaluationRule.insecureService, "INS-SYSLOG-UDP", .info, false)),
        .init(
            name: "TCP 514 is rsh", observation: Fixture.obs("10.0.4.4", port: 514),
            expected: (EvaluationRule.insecureService, "INS-RSH", .medium, true)),
        .init(
            name: "known executable confirms on a candidate port",
            observation: Fixture.obs("10.20.1.14", port: 23, source: .host, process: "/usr/sbin/in.telnetd"),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .critical, false)),
        .init(
            name: "IPv6 Redis confirmed in the CDE",
            observation: Fixture.obs("2001:db8:20::77", port: 6379, handshakes: ["INS-REDIS": "confirmed"]),
            expected: (EvaluationRule.insecureService, "INS-REDIS", .critical, false)),
        .init(
            name: "UDP open|filtered from a scan is not evidence",
            observation: Fixture.obs("10.0.4.4", .udp, port: 161, state: .openFiltered), expected: nil),
    ]

    @Test(arguments: cases)
    func matching(_ testCase: MatchCase) throws {
        let packRules: Set<String> = [
            EvaluationRule.insecureService, EvaluationRule.cleartextAdmin, EvaluationRule.cleartextAuth,
        ]
        let findings = Fixture.evaluate([testCase.observation]).filter { packRules.contains($0.rule) }
        guard let expected = testCase.expected else {
            #expect(findings.isEmpty, "\(findings.map(\.message))")
            return
        }
        let finding = try #require(findings.first { $0.subject == expected.id })
        #expect(findings.count == 1, "\(findings.map(\.subject))")
        #expect(finding.rule == expected.rule)
        #expect(finding.severity == expected.severity)
        #expect(finding.message.contains("Probable") == expected.probable)
        #expect(finding.message.contains(testCase.observation.host.description))
        let confidence = expected.probable ? "port-only" : "confirmed"
        #expect(finding.evidence.contains { $0.kind == "match" && $0.summary.contains(confidence) })
        let rule = try #require(InsecureServiceRulePack.builtIn.rule(id: expected.id))
        #expect(finding.requirements == rule.requirements)
        #expect(finding.remediation == rule.remediation)
    }

    @Test func unauthorizedPortStaysWhenTheHandshakeDoesNotMatch() {
        let findings = Fixture.evaluate([
            Fixture.obs("10.20.1.13", port: 23, handshakes: ["INS-TELNET": "not-matched"])
        ])
        #expect(findings.rule(EvaluationRule.unauthorizedPort).count == 1)
        #expect(findings.rule(EvaluationRule.insecureService).isEmpty)
    }

    @Test func confirmationFromAnyVantageWins() throws {
        let findings = Fixture.evaluate([
            Fixture.obs("10.20.1.13", port: 23, vantage: "cde-app", handshakes: ["INS-TELNET": "not-matched"]),
            Fixture.obs("10.20.1.13", port: 23, vantage: "corp", handshakes: ["INS-TELNET": "confirmed"]),
        ]).rule(EvaluationRule.insecureService)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == .critical)
        #expect(finding.evidence.filter { $0.kind == "observation" }.count == 2)
    }

    @Test(arguments: [
        ([String](), true), (["INS-TELNET"], true), ([EvaluationRule.insecureService], true), (["INS-FTP"], false),
        ([EvaluationRule.cleartextAdmin], false),
    ])
    func exceptionRulesDecideSuppression(rules: [String], suppressed: Bool) {
        let policy = Fixture.policy(exceptions: [
            Fixture.telnetException(expires: Fixture.day("2026-12-31"), rules: rules)
        ])
        let findings = Fixture.evaluate(
            [Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt", handshakes: ["INS-TELNET": "confirmed"])],
            policy: policy)
        #expect(findings.rule(EvaluationRule.insecureService).isEmpty == suppressed)
    }

    @Test func expiredExceptionDoesNotSuppress() throws {
        let policy = Fixture.policy(exceptions: [Fixture.telnetException(expires: Fixture.day("2026-11-01"))])
        let findings = Fixture.evaluate(
            [Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt", handshakes: ["INS-TELNET": "confirmed"])],
            policy: policy)
        let finding = try #require(findings.rule(EvaluationRule.insecureService).first)
        #expect(finding.evidence.contains { $0.kind == "exception" && $0.summary.contains("EX-7") })
    }
}

@Suite("Insecure-service rule pack data")
struct EvaluatorRulePackTests {
    let pack = InsecureServiceRulePack.builtIn

    @Test func holdsEveryRowOnce() {
        let ids = pack.rules.map(\.id)
        #expect(ids.count == 27)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("INS-") })
        for rule in pack.rules {
            #expect(rule.ports.isEmpty == (rule.id == "INS-TLS-OLD"), "\(rule.id) ports")
            #expect(rule.requirements.allSatisfy { $0.isKnown }, "\(rule.id) requirements")
            #expect(!rule.why.isEmpty && !rule.remediation.isEmpty && !rule.handshake.isEmpty)
            #expect(rule.cdeSeverity >= rule.defaultSeverity, "\(rule.id) CDE severity")
            #expect(
                [EvaluationRule.insecureService, EvaluationRule.cleartextAdmin, EvaluationRule.cleartextAuth]
                    .contains(rule.findingRule))
        }
    }

    @Test(arguments: [
        ("INS-TELNET", ["2.2.5", "1.2.6", "2.2.7", "8.3.2"], Severity.high, Severity.critical),
        ("INS-FTP", ["2.2.5", "1.2.6", "8.3.2"], .high, .high),
        ("INS-TFTP", ["2.2.5", "1.2.6", "2.2.4"], .high, .high),
        ("INS-POP3", ["2.2.5", "1.2.6", "8.3.2"], .medium, .high),
        ("INS-HTTP-ADMIN", ["2.2.7", "8.3.2"], .high, .critical),
        ("INS-DOCKER-API", ["2.2.7", "8.3.2"], .critical, .critical),
        ("INS-SYSLOG-UDP", ["10.3.2"], .info, .low),
        ("INS-WINRM-HTTP", ["2.2.7"], .low, .medium),
        ("INS-NETBIOS", ["2.2.4"], .medium, .medium),
    ])
    func rowsMatchTheReference(id: String, requirements: [String], normal: Severity, cde: Severity) throws {
        let rule = try #require(pack.rule(id: id))
        #expect(rule.requirements.map(\.id) == requirements)
        #expect(rule.defaultSeverity == normal)
        #expect(rule.cdeSeverity == cde)
    }

    @Test(arguments: [
        (Transport.udp, UInt16(514), ["INS-SYSLOG-UDP"]), (.tcp, 514, ["INS-RSH"]), (.tcp, 23, ["INS-TELNET"]),
        (.tcp, 5903, ["INS-VNC"]), (.tcp, 6063, ["INS-X11"]), (.tcp, 6064, []),
        (.tcp, 139, ["INS-SMB1", "INS-NETBIOS"]),
        (.udp, 11211, ["INS-MEMCACHED"]), (.tcp, 990, []), (.tcp, 22, []), (.udp, 518, ["INS-SMALLSVC"]),
    ])
    func lookupByPort(transport: Transport, port: UInt16, ids: [String]) {
        #expect(pack.rules(for: transport, port: port).map(\.id) == ids)
    }
}

@Suite("Evaluator: custom rule packs and degenerate input")
struct EvaluatorCustomPackTests {
    @Test func customPackReplacesTheBuiltIn() throws {
        var pack = InsecureServiceRulePack(rules: [])
        pack.rules = [
            InsecureServiceRule(
                id: "INS-CUSTOM", name: "Custom daemon", ports: Fixture.ports("tcp/9999"), defaultSeverity: .medium,
                cdeSeverity: .high, requirements: [Requirement("2.2.4")], why: "It is old.", remediation: "Remove it.",
                handshake: "banner")
        ]
        #expect(pack.rules(for: .tcp, port: 9999).map(\.id) == ["INS-CUSTOM"], "the index follows the rules")
        let evaluator = Evaluator(policy: Fixture.policy(), rulePack: pack)
        let findings = evaluator.evaluate(
            [Fixture.obs("10.20.1.60", port: 9999), Fixture.obs("10.20.1.60", port: 23)], at: Fixture.now)
        let insecure = findings.rule(EvaluationRule.insecureService)
        let finding = try #require(insecure.first)
        #expect(insecure.count == 1, "telnet is not in this pack")
        #expect(finding.subject == "INS-CUSTOM")
        #expect(finding.severity == .medium, "port-only in a CDE zone: high lowered one step")
    }

    @Test func emptyPolicyStillJudgesEverything() {
        let findings = Evaluator(policy: Policy()).evaluate(
            [Fixture.obs("10.1.1.1", port: 22), Fixture.obs("::1", port: 23, handshakes: ["INS-TELNET": "confirmed"])],
            at: Fixture.now)
        #expect(findings.rule(EvaluationRule.hostOutsideZones).count == 2)
        #expect(findings.rule(EvaluationRule.insecureService).count == 1)
        #expect(findings.rule(EvaluationRule.reviewOverdue).count == 1, "no review recorded")
    }
}
