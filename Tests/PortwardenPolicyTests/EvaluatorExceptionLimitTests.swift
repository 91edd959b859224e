import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

/// Every limit of an exception (`docs/rules.md`, "Exceptions and their limits"), each with the ids
/// and severity the finding keeps.
@Suite("Evaluator: exception limits")
struct EvaluatorExceptionLimitTests {
    struct LimitCase: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (inout PolicyException) -> Void
        /// The handshake on the excepted port (tcp/23 on 10.20.1.12, a CDE host, from mgmt).
        var handshake: String = "INS-TELNET"
        /// Expected (rule, severity, ids) of the remaining finding, or nil when nothing remains.
        var expected: (rule: String, severity: Severity, ids: [String])?
        var fragment: String = ""
        var testDescription: String { name }
    }

    static let cases: [LimitCase] = [
        LimitCase(
            name: "qualifying exception: 2.2.7 and 8.3.2 stay", edit: { _ in },
            expected: (EvaluationRule.insecureService, .critical, ["2.2.7", "8.3.2"]),
            fragment: "discharges 2.2.5 and 1.2.6 only; 2.2.7 and 8.3.2 allow no exception"),
        LimitCase(
            name: "compensating control cited", edit: { $0.compensatingControl = "CCW-9" },
            expected: (EvaluationRule.insecureService, .medium, ["2.2.7", "8.3.2"]),
            fragment: "in place via compensating control CCW-9"),
        LimitCase(
            name: "customized approach cited", edit: { $0.customizedApproach = "TRA-4" },
            expected: (EvaluationRule.insecureService, .medium, ["2.2.7", "8.3.2"]),
            fragment: "in place via customized approach TRA-4"),
        LimitCase(
            name: "no approver", edit: { $0.approvedBy = nil },
            expected: (EvaluationRule.insecureService, .critical, ["2.2.5", "1.2.6", "2.2.7", "8.3.2"]),
            fragment: "cannot discharge it: no approved-by"),
        LimitCase(
            name: "no approval date", edit: { $0.approvedOn = nil },
            expected: (EvaluationRule.insecureService, .critical, ["2.2.5", "1.2.6", "2.2.7", "8.3.2"]),
            fragment: "cannot discharge it: no approved-on"),
        LimitCase(
            name: "no mitigation", edit: { $0.mitigations = [] },
            expected: (EvaluationRule.insecureService, .critical, ["2.2.5", "1.2.6", "2.2.7", "8.3.2"]),
            fragment: "its mitigations name none of INS-TELNET's allowed features"),
        LimitCase(
            name: "a mitigation the rule does not allow", edit: { $0.mitigations = ["hope"] },
            expected: (EvaluationRule.insecureService, .critical, ["2.2.5", "1.2.6", "2.2.7", "8.3.2"]),
            fragment: "allowed features (source-restricted, extra-logging)"),
        LimitCase(
            name: "CCW on an exception that does not qualify changes nothing",
            edit: {
                $0.compensatingControl = "CCW-9"
                $0.approvedOn = nil
            }, expected: (EvaluationRule.insecureService, .critical, ["2.2.5", "1.2.6", "2.2.7", "8.3.2"]),
            fragment: "cannot discharge it"),
        LimitCase(
            name: "TFTP: every id dischargeable, nothing remains", edit: { $0.ports = Fixture.ports("udp/69") },
            handshake: "INS-TFTP-UDP", expected: nil),
        LimitCase(
            name: "SMB1 with an allowed feature: nothing remains",
            edit: {
                $0.ports = Fixture.ports("tcp/445")
                $0.rules = ["INS-SMB1"]
            }, handshake: "INS-SMB1", expected: nil),
        LimitCase(
            name: "Redis: 8.3.1 stays",
            edit: {
                $0.ports = Fixture.ports("tcp/6379")
                $0.rules = ["INS-REDIS"]
            }, handshake: "INS-REDIS", expected: (EvaluationRule.insecureService, .critical, ["8.3.1"]),
            fragment: "8.3.1 allows no exception"),
        LimitCase(
            name: "SNMP default community allows no mitigation: nothing is discharged",
            edit: {
                $0.ports = Fixture.ports("udp/161")
                $0.rules = ["INS-SNMP-DEFAULT-COMMUNITY"]
            }, handshake: "INS-SNMP-DEFAULT-COMMUNITY-UDP",
            expected: (EvaluationRule.insecureService, .critical, ["2.2.5", "1.2.6", "2.2.2", "8.3.2"]),
            fragment: "INS-SNMP-DEFAULT-COMMUNITY allows no mitigation"),
        LimitCase(
            name: "SNMPv3 noAuthNoPriv: 8.3.1 stays",
            edit: {
                $0.ports = Fixture.ports("udp/161")
                $0.rules = ["INS-SNMPV3-NOAUTH"]
            }, handshake: "INS-SNMPV3-NOAUTH-UDP", expected: (EvaluationRule.insecureService, .high, ["8.3.1"]),
            fragment: "8.3.1 allows no exception"),
    ]

    static func observation(for handshake: String) -> Observation {
        switch handshake {
        case "INS-TFTP-UDP":
            return Fixture.obs("10.20.1.12", .udp, port: 69, vantage: "mgmt", handshakes: ["INS-TFTP": "confirmed"])
        case "INS-SNMP-DEFAULT-COMMUNITY-UDP":
            return Fixture.obs(
                "10.20.1.12", .udp, port: 161, vantage: "mgmt",
                handshakes: ["INS-SNMP-DEFAULT-COMMUNITY": "confirmed", "INS-SNMPV12": "confirmed"])
        case "INS-SNMPV3-NOAUTH-UDP":
            return Fixture.obs(
                "10.20.1.12", .udp, port: 161, vantage: "mgmt",
                handshakes: ["INS-SNMPV3-NOAUTH": "confirmed (user pwlab read sysDescr.0 without authentication)"])
        case "INS-SMB1":
            return Fixture.obs("10.20.1.12", port: 445, vantage: "mgmt", handshakes: [handshake: "confirmed"])
        case "INS-REDIS":
            return Fixture.obs("10.20.1.12", port: 6379, vantage: "mgmt", handshakes: [handshake: "confirmed"])
        default: return Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt", handshakes: [handshake: "confirmed"])
        }
    }

    @Test(arguments: cases)
    func limit(_ testCase: LimitCase) throws {
        var exception = Fixture.telnetException(expires: Fixture.day("2026-12-31"))
        if ["INS-SMB1", "INS-REDIS", "INS-TFTP-UDP", "INS-SNMPV3-NOAUTH-UDP"].contains(testCase.handshake) {
            exception.mitigations = ["source-restricted"]
        }
        testCase.edit(&exception)
        let observation = Self.observation(for: testCase.handshake)
        let findings = Fixture.evaluate([observation], policy: Fixture.policy(exceptions: [exception]))
        let subject = testCase.handshake.hasSuffix("-UDP") ? String(testCase.handshake.dropLast(4)) : testCase.handshake
        let remaining = findings.filter { $0.subject == subject }
        guard let expected = testCase.expected else {
            #expect(remaining.isEmpty, "\(remaining.map(\.message))")
            return
        }
        let finding = try #require(remaining.first, "\(findings.map(\.message))")
        #expect(finding.rule == expected.rule)
        #expect(finding.severity == expected.severity)
        #expect(finding.requirements.map(\.id) == expected.ids)
        #expect(finding.message.contains(testCase.fragment), "\(finding.message)")
        #expect(!finding.message.contains("under an exception"))
    }

    /// An expired exception covers nothing: the port is judged as unauthorized with the same ids and
    /// severity, plus 2.2.5 and 1.2.6 when an insecure rule is confirmed; never 1.5.1, never lower.
    @Test(arguments: [
        ("10.20.1.12", "mgmt", nil as String?, Severity.critical, ["1.2.5", "1.3.1", "2.2.4"]),
        ("10.20.1.12", "mgmt", "INS-TELNET", .critical, ["1.2.5", "1.3.1", "2.2.4", "2.2.5", "1.2.6"]),
        ("10.20.1.12", "cde-app", nil, .high, ["1.2.5", "2.2.4"]),
    ])
    func expiredExceptionIsJudgedAsUnauthorized(
        host: String, vantage: String, handshake: String?, severity: Severity, ids: [String]
    ) throws {
        let exception = Fixture.telnetException(expires: Fixture.day("2026-11-01"))
        let observation = Fixture.obs(
            host, port: 23, vantage: vantage, handshakes: handshake.map { [$0: "confirmed"] })
        let findings = Fixture.evaluate([observation], policy: Fixture.policy(exceptions: [exception]))
        let expired = try #require(findings.rule(EvaluationRule.exceptionExpired).first)
        #expect(expired.severity == severity)
        #expect(expired.requirements.map(\.id) == ids)
        #expect(!expired.requirements.contains(Requirement("1.5.1")))
    }
}
