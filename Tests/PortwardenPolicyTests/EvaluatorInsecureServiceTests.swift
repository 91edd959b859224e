import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@Suite("Evaluator: insecure-service rule pack")
struct EvaluatorInsecureServiceTests {
    struct MatchCase: Sendable, CustomTestStringConvertible {
        var name: String
        var observation: Observation
        /// Expected (finding rule, pack id, severity, requirement ids, match confidence); nil = no
        /// finding from the pack.
        var expected: (rule: String, id: String, severity: Severity, requirements: [String], confidence: String)?
        var testDescription: String { name }
    }

    static let telnet = ["2.2.5", "1.2.6", "2.2.7", "8.3.2"]
    static let unverified = EvaluationRule.unverifiedService

    static let cases: [MatchCase] = [
        .init(
            name: "Telnet confirmed in the CDE",
            observation: Fixture.obs("10.20.1.13", port: 23, handshakes: ["INS-TELNET": "confirmed"]),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .critical, telnet, "confirmed")),
        .init(
            name: "Telnet port-only in the CDE is unverified", observation: Fixture.obs("10.20.1.13", port: 23),
            expected: (unverified, "INS-TELNET", .info, [], "port-only")),
        .init(
            name: "Telnet not matched (SSH on 23)",
            observation: Fixture.obs("10.20.1.13", port: 23, handshakes: ["INS-TELNET": "not-matched"]), expected: nil),
        .init(
            name: "Telnet confirmed in an out-of-scope zone is hygiene",
            observation: Fixture.obs("10.0.3.3", port: 23, handshakes: ["INS-TELNET": "confirmed"]),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .low, [], "confirmed")),
        .init(
            name: "Telnet confirmed in a security zone",
            observation: Fixture.obs("10.30.0.3", port: 23, vantage: "mgmt", handshakes: ["INS-TELNET": "confirmed"]),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .high, telnet, "confirmed")),
        .init(
            name: "a justified service on 2323 is only unverified", observation: Fixture.obs("10.30.0.3", port: 2323),
            expected: (unverified, "INS-TELNET", .info, [], "port-only")),
        .init(
            name: "Telnet confirmed on a non-candidate port",
            observation: Fixture.obs("10.30.0.3", port: 2222, handshakes: ["INS-TELNET": "confirmed"]),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .high, telnet, "confirmed")),
        .init(
            name: "inconclusive handshake is port-only",
            observation: Fixture.obs("10.30.0.3", port: 21, handshakes: ["INS-FTP": "inconclusive"]),
            expected: (unverified, "INS-FTP", .info, [], "port-only")),
        .init(
            name: "FTP's active-mode source port 20 is no candidate", observation: Fixture.obs("10.30.0.3", port: 20),
            expected: nil),
        .init(
            name: "HTTP admin confirmed in the CDE",
            observation: Fixture.obs("10.20.2.8", port: 8080, handshakes: ["INS-HTTP-ADMIN": "confirmed"]),
            expected: (
                EvaluationRule.cleartextAdmin, "INS-HTTP-ADMIN", .critical, ["2.2.5", "1.2.6", "2.2.7", "8.3.2"],
                "confirmed"
            )),
        .init(
            name: "an open HTTP port alone is no evidence", observation: Fixture.obs("10.20.2.8", port: 8080),
            expected: nil),
        .init(
            name: "declared PostgreSQL port-only",
            observation: Fixture.obs("10.20.1.10", port: 5432, vantage: "cde-app"),
            expected: (unverified, "INS-DB-CLEAR", .info, [], "port-only")),
        .init(
            name: "PostgreSQL offering TLS: available, enforcement unverified",
            observation: Fixture.obs(
                "10.20.1.10", port: 5432, vantage: "cde-app",
                handshakes: ["INS-DB-CLEAR": "tls-available (SSLRequest answered S)"]),
            expected: (EvaluationRule.tlsEnforcementUnverified, "INS-DB-CLEAR", .medium, [], "tls-available")),
        .init(
            name: "old TLS on a CDE web port",
            observation: Fixture.obs("10.20.2.4", port: 443, vantage: "cde-app", tls: ["TLSv1.0", "TLSv1.2"]),
            expected: (EvaluationRule.insecureService, "INS-TLS-OLD", .high, ["2.2.5", "1.2.6"], "confirmed")),
        .init(
            name: "modern TLS only", observation: Fixture.obs("10.0.4.4", port: 443, tls: ["TLSv1.2", "TLSv1.3"]),
            expected: nil),
        .init(
            name: "UDP 514 from the host agent is advisory syslog",
            observation: Fixture.obs("10.30.0.4", .udp, port: 514, source: .host, process: "/usr/sbin/rsyslogd"),
            expected: (
                EvaluationRule.insecureService, "INS-SYSLOG-UDP", .info, ["2.2.5", "1.2.6", "10.3.3", "10.7.2"],
                "confirmed"
            )),
        .init(
            name: "TCP 514 alone is unverified rsh", observation: Fixture.obs("10.30.0.4", port: 514),
            expected: (unverified, "INS-RSH", .info, [], "port-only")),
        .init(
            name: "known executable confirms a rule that does not depend on the configuration",
            observation: Fixture.obs("10.20.1.14", port: 23, source: .host, process: "/usr/sbin/in.telnetd"),
            expected: (EvaluationRule.insecureService, "INS-TELNET", .critical, telnet, "confirmed")),
        .init(
            name: "redis-server alone proves the product, not the weakness",
            observation: Fixture.obs("10.20.1.14", port: 6379, source: .host, process: "/usr/bin/redis-server"),
            expected: (unverified, "INS-REDIS", .info, [], "probable")),
        .init(
            name: "IPv6 Redis confirmed in the CDE is 8.3.1",
            observation: Fixture.obs("2001:db8:20::77", port: 6379, handshakes: ["INS-REDIS": "confirmed"]),
            expected: (
                EvaluationRule.insecureService, "INS-REDIS", .critical, ["2.2.5", "1.2.6", "8.3.1"], "confirmed"
            )),
        .init(
            name: "VNC None is its own critical rule",
            observation: Fixture.obs(
                "10.30.0.9", port: 5900, vantage: "mgmt",
                handshakes: ["INS-VNC-NONE": "confirmed (security types 1 (None))", "INS-VNC": "not-matched"]),
            expected: (
                EvaluationRule.insecureService, "INS-VNC-NONE", .critical, ["2.2.5", "1.2.6", "2.2.7", "8.3.1"],
                "confirmed"
            )),
        .init(
            name: "UDP open|filtered from a scan is not evidence",
            observation: Fixture.obs("10.0.4.4", .udp, port: 161, state: .openFiltered), expected: nil),
        .init(
            name: "udp/162 is the trap receiver, not an agent", observation: Fixture.obs("10.30.0.4", .udp, port: 162),
            expected: nil),
        .init(
            name: "a DNS server alone is no open resolver", observation: Fixture.obs("10.30.0.4", .udp, port: 53),
            expected: nil),
        .init(
            name: "a DNS server alone is no zone-transfer finding", observation: Fixture.obs("10.30.0.4", port: 53),
            expected: nil),
        .init(
            name: "a zone transfer refused for every zone named",
            observation: Fixture.obs("10.30.0.4", port: 53, handshakes: ["INS-DNS-AXFR": "not-matched"]),
            expected: nil),
        .init(
            name: "a DNS server transferring a named zone",
            observation: Fixture.obs(
                "10.30.0.4", port: 53,
                handshakes: ["INS-DNS-AXFR": "confirmed (AXFR of lab.test answered NOERROR, first record its SOA)"]),
            expected: (
                EvaluationRule.insecureService, "INS-DNS-AXFR", .medium, ["2.2.5", "1.2.6", "2.2.4"], "confirmed"
            )),
        .init(
            name: "an NTP server alone is no NTP finding", observation: Fixture.obs("10.30.0.4", .udp, port: 123),
            expected: nil),
        .init(
            name: "NTP answering READSTAT from the corp vantage",
            observation: Fixture.obs("10.30.0.4", .udp, port: 123, handshakes: ["INS-NTP-MODE6": "confirmed"]),
            expected: (
                EvaluationRule.insecureService, "INS-NTP-MODE6", .medium, ["2.2.5", "1.2.6", "2.2.4"], "confirmed"
            )),
    ]

    @Test(arguments: cases)
    func matching(_ testCase: MatchCase) throws {
        let packRules: Set<String> = [
            EvaluationRule.insecureService, EvaluationRule.cleartextAdmin, EvaluationRule.cleartextAuth,
            EvaluationRule.unverifiedService, EvaluationRule.tlsEnforcementUnverified,
        ]
        let findings = Fixture.evaluate([testCase.observation]).filter { packRules.contains($0.rule) }
        guard let expected = testCase.expected else {
            #expect(findings.isEmpty, "\(findings.map(\.message))")
            return
        }
        let finding = try #require(findings.first { $0.subject == expected.id }, "\(findings.map(\.message))")
        #expect(findings.count == 1, "\(findings.map(\.subject))")
        #expect(finding.rule == expected.rule)
        #expect(finding.severity == expected.severity)
        #expect(finding.requirements.map(\.id) == expected.requirements)
        #expect(finding.message.contains("Unverified, probable") == (expected.rule == EvaluationRule.unverifiedService))
        #expect(finding.message.contains(testCase.observation.host.description))
        #expect(finding.evidence.contains { $0.kind == "match" && $0.summary.contains(expected.confidence) })
        #expect(!EvaluationRule.fails(finding, at: .info) == (expected.rule == EvaluationRule.unverifiedService))
        if expected.rule == EvaluationRule.tlsEnforcementUnverified {
            #expect(finding.message.contains("TLS available, enforcement unverified"))
        }
    }

    @Test func vncSecurityTypesAreEvidence() throws {
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.1.9", port: 5901,
                handshakes: [
                    "INS-VNC-NONE": "confirmed (security types 1 (None), 2 (VNC Authentication))",
                    "INS-VNC": "confirmed (security types 1 (None), 2 (VNC Authentication))",
                ])
        ])
        let none = try #require(findings.first { $0.subject == "INS-VNC-NONE" })
        let auth = try #require(findings.first { $0.subject == "INS-VNC" })
        #expect(none.severity == .critical && auth.severity == .critical)
        #expect(none.requirements.map(\.id) == ["2.2.5", "1.2.6", "2.2.7", "8.3.1"])
        #expect(auth.requirements.map(\.id) == ["2.2.5", "1.2.6", "2.2.7", "8.3.2"])
        #expect(none.message.contains("security types 1 (None), 2 (VNC Authentication)"))
        #expect(none.evidence.contains { $0.kind == "match" && $0.summary.contains("security types 1 (None)") })
    }

    /// The TLS-quality rows claim 2.2.5/1.2.6 only, plus 2.2.7 or 8.3.2 when an administrative or
    /// cleartext-credential rule is confirmed on the same port (insecure-services.md §0 item 7).
    @Test(
        arguments: [
            (["INS-TLS-WEAK-CIPHER": "confirmed"], "INS-TLS-WEAK-CIPHER", Severity.high, ["2.2.5", "1.2.6"]),
            (
                ["INS-TLS-WEAK-CIPHER": "confirmed", "INS-HTTP-ADMIN": "confirmed"], "INS-TLS-WEAK-CIPHER", .high,
                ["2.2.5", "1.2.6", "2.2.7", "8.3.2"]
            ),
            (["INS-TLS-CERT": "confirmed"], "INS-TLS-CERT", .high, ["2.2.5", "1.2.6"]),
            (["INS-TLS-CERT-SELF-SIGNED": "confirmed"], "INS-TLS-CERT-SELF-SIGNED", .medium, ["2.2.5", "1.2.6"]),
            (["INS-SSH-WEAK": "confirmed"], "INS-SSH-WEAK", .high, ["2.2.5", "1.2.6", "2.2.7", "8.3.2"]),
            (
                ["INS-SMTP-AUTH-CLEAR": "confirmed (AUTH PLAIN LOGIN before STARTTLS)"], "INS-SMTP-AUTH-CLEAR", .high,
                ["2.2.5", "1.2.6", "8.3.2"]
            ),
            // STARTTLS behind SMTP AUTH in the clear: the old TLS protects passwords, so 8.3.2 too.
            (
                ["INS-SMTP-AUTH-CLEAR": "confirmed", "INS-TLS-WEAK-CIPHER": "confirmed"], "INS-TLS-WEAK-CIPHER",
                .high, ["2.2.5", "1.2.6", "8.3.2"]
            ),
            // No AUTH before TLS: nothing says passwords cross this TLS, so no 8.3.2.
            (
                ["INS-SMTP-AUTH-CLEAR": "not-matched", "INS-TLS-WEAK-CIPHER": "confirmed"], "INS-TLS-WEAK-CIPHER",
                .high, ["2.2.5", "1.2.6"]
            ),
        ] as [([String: String], String, Severity, [String])])
    func handshakeOnlyRowsInTheCDE(
        handshakes: [String: String], id: String, severity: Severity, ids: [String]
    )
        throws
    {
        let findings = Fixture.evaluate([Fixture.obs("10.20.2.8", port: 8443, handshakes: handshakes)])
        let finding = try #require(findings.first { $0.subject == id }, "\(findings.map(\.subject))")
        #expect(finding.rule == EvaluationRule.insecureService)
        #expect(finding.severity == severity)
        #expect(finding.requirements.map(\.id) == ids)
    }

    /// A not-matched certificate or cipher verdict, and an open port alone, give no TLS-quality finding.
    @Test func handshakeOnlyRowsNeedAHandshake() {
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.2.8", port: 8443,
                handshakes: ["INS-TLS-WEAK-CIPHER": "not-matched", "INS-TLS-CERT": "not-matched"]),
            Fixture.obs("10.20.2.9", port: 443),
        ])
        #expect(!findings.contains { ($0.subject ?? "").hasPrefix("INS-TLS") || $0.subject == "INS-SSH-WEAK" })
    }

    /// MQTT: an anonymous CONNACK is 8.3.1 and says nothing of credentials in transit; a broker that
    /// wants credentials on 1883 is 8.3.2; an open 1883 alone is only an unverified cleartext broker.
    @Test func mqttAnonymousAndCleartextAreJudgedApart() throws {
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.2.8", port: 1883,
                handshakes: ["INS-MQTT-ANON": "confirmed (CONNACK 0)", "INS-MQTT-CLEAR": "not-matched (CONNACK 0)"]),
            Fixture.obs(
                "10.20.2.9", port: 1883,
                handshakes: ["INS-MQTT-ANON": "not-matched (CONNACK 5)", "INS-MQTT-CLEAR": "confirmed (CONNACK 5)"]),
            Fixture.obs("10.20.2.10", port: 1883),
        ])
        let anonymous = findings.at("10.20.2.8", 1883).filter { ($0.subject ?? "").hasPrefix("INS-MQTT") }
        #expect(anonymous.map(\.subject) == ["INS-MQTT-ANON"])
        #expect(anonymous.first?.severity == .critical)
        #expect(anonymous.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.1"])
        let cleartext = findings.at("10.20.2.9", 1883).filter { ($0.subject ?? "").hasPrefix("INS-MQTT") }
        #expect(cleartext.map(\.subject) == ["INS-MQTT-CLEAR"])
        #expect(cleartext.first?.severity == .high)
        #expect(cleartext.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.2"])
        let portOnly = findings.at("10.20.2.10", 1883).filter { ($0.subject ?? "").hasPrefix("INS-MQTT") }
        #expect(portOnly.map(\.subject) == ["INS-MQTT-CLEAR"])
        #expect(portOnly.first?.rule == EvaluationRule.unverifiedService)
        #expect(portOnly.first?.requirements == [])
    }

    /// ZooKeeper: a root served to a session without credentials is 8.3.1 and says nothing of
    /// credentials in transit; a root refused with NoAuth is 8.3.2 (digest credentials would cross
    /// 2181 readably); another protocol on 2181 raises nothing; an open 2181 alone is only an
    /// unverified cleartext ZooKeeper.
    @Test func zooKeeperAnonymousAndCleartextAreJudgedApart() throws {
        let served = "getChildren of / served without credentials (1 child)"
        let refused = "getChildren of / refused: NoAuth (-102)"
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.2.8", port: 2181,
                handshakes: [
                    "INS-ZOOKEEPER-ANON": "confirmed (\(served))", "INS-ZOOKEEPER-CLEAR": "not-matched (\(served))",
                ]),
            Fixture.obs(
                "10.20.2.9", port: 2181,
                handshakes: [
                    "INS-ZOOKEEPER-ANON": "not-matched (\(refused))", "INS-ZOOKEEPER-CLEAR": "confirmed (\(refused))",
                ]),
            Fixture.obs(
                "10.20.2.10", port: 2181,
                handshakes: ["INS-ZOOKEEPER-ANON": "not-matched", "INS-ZOOKEEPER-CLEAR": "not-matched"]),
            Fixture.obs("10.20.2.11", port: 2181),
        ])
        func zooKeeper(_ host: String) -> [Finding] {
            findings.at(host, 2181).filter { ($0.subject ?? "").hasPrefix("INS-ZOOKEEPER") }
        }
        let anonymous = zooKeeper("10.20.2.8")
        #expect(anonymous.map(\.subject) == ["INS-ZOOKEEPER-ANON"])
        #expect(anonymous.map(\.rule) == [EvaluationRule.insecureService])
        #expect(anonymous.first?.severity == .critical)
        #expect(anonymous.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.1"])
        let cleartext = zooKeeper("10.20.2.9")
        #expect(cleartext.map(\.subject) == ["INS-ZOOKEEPER-CLEAR"])
        #expect(cleartext.first?.severity == .high)
        #expect(cleartext.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.2"])
        #expect(zooKeeper("10.20.2.10").isEmpty)
        let portOnly = zooKeeper("10.20.2.11")
        #expect(portOnly.map(\.subject) == ["INS-ZOOKEEPER-CLEAR"])
        #expect(portOnly.first?.rule == EvaluationRule.unverifiedService)
        #expect(portOnly.first?.requirements == [])
    }

    /// PPTP: a Start-Control-Connection-Reply confirms it (2.2.5, 1.2.6, 8.3.2); another protocol on
    /// 1723 is `not-matched` and raises nothing; an open 1723 alone is only unverified.
    @Test func pptpIsJudgedFromTheControlReply() throws {
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.2.8", port: 1723,
                handshakes: [
                    "INS-PPTP": "confirmed (Start-Control-Connection-Reply 1 (successful channel establishment))"
                ]),
            Fixture.obs("10.20.2.9", port: 1723, handshakes: ["INS-PPTP": "not-matched"]),
            Fixture.obs("10.20.2.10", port: 1723),
        ])
        let confirmed = findings.at("10.20.2.8", 1723).filter { $0.subject == "INS-PPTP" }
        #expect(confirmed.map(\.rule) == [EvaluationRule.insecureService])
        #expect(confirmed.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.2"])
        #expect(findings.at("10.20.2.9", 1723).filter { $0.subject == "INS-PPTP" }.isEmpty)
        let portOnly = findings.at("10.20.2.10", 1723).filter { $0.subject == "INS-PPTP" }
        #expect(portOnly.map(\.rule) == [EvaluationRule.unverifiedService])
        #expect(portOnly.first?.requirements == [])
    }

    /// AMQP: a Connection.Start offering PLAIN or AMQPLAIN on the cleartext port confirms
    /// INS-AMQP-CLEAR (2.2.5, 1.2.6, 8.3.2); one offering neither, or another protocol on 5672, is
    /// `not-matched` and raises nothing; an open 5672 alone is only unverified.
    @Test func amqpIsJudgedFromTheMechanismsOffered() throws {
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.2.8", port: 5672,
                handshakes: [
                    "INS-AMQP-CLEAR": "confirmed (Connection.Start 0-9, RabbitMQ 3.10.8, mechanisms PLAIN AMQPLAIN)"
                ]),
            Fixture.obs(
                "10.20.2.9", port: 5672,
                handshakes: ["INS-AMQP-CLEAR": "not-matched (Connection.Start 0-9, mechanisms EXTERNAL)"]),
            Fixture.obs("10.20.2.10", port: 5672),
        ])
        let confirmed = findings.at("10.20.2.8", 5672).filter { $0.subject == "INS-AMQP-CLEAR" }
        #expect(confirmed.map(\.rule) == [EvaluationRule.insecureService])
        #expect(confirmed.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.2"])
        #expect(confirmed.first?.severity == .high, "10.20.2.8 is in cde-app")
        #expect(findings.at("10.20.2.9", 5672).filter { $0.subject == "INS-AMQP-CLEAR" }.isEmpty)
        let portOnly = findings.at("10.20.2.10", 5672).filter { $0.subject == "INS-AMQP-CLEAR" }
        #expect(portOnly.map(\.rule) == [EvaluationRule.unverifiedService])
        #expect(portOnly.first?.requirements == [])
    }

    /// SNMPv3 noAuthNoPriv: a user served without authentication confirms it (2.2.4, 8.3.1) with
    /// the user in the evidence; a refusal is `not-matched`; an open 161 or snmpd alone raises
    /// nothing from this row (no candidate ports, no process).
    @Test func snmpV3NoAuthIsJudgedFromTheSecondRoundTrip() throws {
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.2.8", .udp, port: 161,
                handshakes: ["INS-SNMPV3-NOAUTH": "confirmed (user pwlab read sysDescr.0 without authentication)"]),
            Fixture.obs(
                "10.20.2.9", .udp, port: 161,
                handshakes: [
                    "INS-SNMPV3-NOAUTH":
                        "not-matched (user pwlab refused without authentication: authorizationError 16)"
                ]),
            Fixture.obs("10.20.2.10", .udp, port: 161),
            Fixture.obs("10.20.2.11", .udp, port: 161, source: .host, vantage: nil, process: "/usr/sbin/snmpd"),
        ])
        let confirmed = findings.at("10.20.2.8", 161).filter { $0.subject == "INS-SNMPV3-NOAUTH" }
        #expect(confirmed.map(\.rule) == [EvaluationRule.insecureService])
        #expect(confirmed.first?.severity == .high)
        #expect(confirmed.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "2.2.4", "8.3.1"])
        #expect(
            confirmed.first?.evidence.contains { $0.kind == "match" && $0.summary.contains("user pwlab") } == true,
            "\(confirmed.first?.evidence.map(\.summary) ?? [])")
        for host in ["10.20.2.9", "10.20.2.10", "10.20.2.11"] {
            #expect(findings.at(host, 161).filter { $0.subject == "INS-SNMPV3-NOAUTH" }.isEmpty, "\(host)")
        }
    }

    /// IPP: a printer naming no authentication for its cleartext URI is 8.3.1, one asking Basic or
    /// Digest there is 8.3.2; both `not-matched` (another protocol on 631) raise nothing; an open 631
    /// alone is only an unverified cleartext printer.
    @Test func ippIsJudgedFromTheAuthenticationItNames() throws {
        let anonymousDetail =
            "CUPS-Get-Default answered successful-ok over HTTP: ipp://h/printers/lab (security none, authentication none)"
        let basicDetail =
            "CUPS-Get-Default answered successful-ok over HTTP: ipp://h/printers/lab (security none, authentication basic)"
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.2.8", port: 631,
                handshakes: [
                    "INS-IPP-ANON": "confirmed (\(anonymousDetail))",
                    "INS-IPP-CLEAR": "not-matched (\(anonymousDetail))",
                ]),
            Fixture.obs(
                "10.20.2.9", port: 631,
                handshakes: [
                    "INS-IPP-ANON": "not-matched (\(basicDetail))", "INS-IPP-CLEAR": "confirmed (\(basicDetail))",
                ]),
            Fixture.obs(
                "10.20.2.10", port: 631, handshakes: ["INS-IPP-ANON": "not-matched", "INS-IPP-CLEAR": "not-matched"]),
            Fixture.obs("10.20.2.11", port: 631),
        ])
        func ipp(_ host: String) -> [Finding] {
            findings.at(host, 631).filter { ($0.subject ?? "").hasPrefix("INS-IPP") }
        }
        #expect(ipp("10.20.2.8").map(\.subject) == ["INS-IPP-ANON"])
        #expect(ipp("10.20.2.8").first?.rule == EvaluationRule.insecureService)
        #expect(ipp("10.20.2.8").first?.severity == .high)
        #expect(ipp("10.20.2.8").first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.1"])
        #expect(ipp("10.20.2.9").map(\.subject) == ["INS-IPP-CLEAR"])
        #expect(ipp("10.20.2.9").first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.2"])
        #expect(ipp("10.20.2.10").isEmpty)
        #expect(ipp("10.20.2.11").map(\.subject) == ["INS-IPP-CLEAR"])
        #expect(ipp("10.20.2.11").first?.rule == EvaluationRule.unverifiedService)
        #expect(ipp("10.20.2.11").first?.requirements == [])
    }

    /// LPD: an answer to the queue-state command confirms it (8.3.1: the protocol authenticates
    /// nothing); another protocol on 515 is `not-matched`; an open 515 alone is only unverified.
    @Test func lpdIsJudgedFromTheQueueStateAnswer() throws {
        let findings = Fixture.evaluate([
            Fixture.obs(
                "10.20.2.8", port: 515,
                handshakes: ["INS-LPD": "confirmed (queue state of \"lp\" answered: \"no entries\")"]),
            Fixture.obs("10.20.2.9", port: 515, handshakes: ["INS-LPD": "not-matched"]),
            Fixture.obs("10.20.2.10", port: 515),
        ])
        let confirmed = findings.at("10.20.2.8", 515).filter { $0.subject == "INS-LPD" }
        #expect(confirmed.map(\.rule) == [EvaluationRule.insecureService])
        #expect(confirmed.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.1"])
        #expect(findings.at("10.20.2.9", 515).filter { $0.subject == "INS-LPD" }.isEmpty)
        let portOnly = findings.at("10.20.2.10", 515).filter { $0.subject == "INS-LPD" }
        #expect(portOnly.map(\.rule) == [EvaluationRule.unverifiedService])
        #expect(portOnly.first?.requirements == [])
    }

    /// The raw print port gets no probe, so the network only ever shows it port-only (unverified,
    /// no requirement); p910nd seen by the host agent confirms it; a `not-matched` raises nothing.
    @Test func rawPrintPortIsPortOnlyUnlessTheHostNamesTheDaemon() throws {
        let findings = Fixture.evaluate([
            Fixture.obs("10.20.2.8", port: 9100),
            Fixture.obs("10.20.2.9", port: 9100, source: .host, process: "/usr/sbin/p910nd"),
            Fixture.obs("10.20.2.10", port: 9100, handshakes: ["INS-JETDIRECT": "not-matched"]),
        ])
        let portOnly = findings.at("10.20.2.8", 9100).filter { $0.subject == "INS-JETDIRECT" }
        #expect(portOnly.map(\.rule) == [EvaluationRule.unverifiedService])
        #expect(portOnly.first?.severity == .info)
        #expect(portOnly.first?.requirements == [])
        let process = findings.at("10.20.2.9", 9100).filter { $0.subject == "INS-JETDIRECT" }
        #expect(process.map(\.rule) == [EvaluationRule.insecureService])
        #expect(process.first?.requirements.map(\.id) == ["2.2.5", "1.2.6", "8.3.1"])
        #expect(findings.at("10.20.2.10", 9100).filter { $0.subject == "INS-JETDIRECT" }.isEmpty)
    }

    @Test func networkNotMatchedBeatsTheProcess() {
        let findings = Fixture.evaluate([
            Fixture.obs("10.20.1.14", port: 6379, vantage: "cde-app", handshakes: ["INS-REDIS": "not-matched"]),
            Fixture.obs("10.20.1.14", port: 6379, source: .host, vantage: "cde-db", process: "/usr/bin/redis-server"),
        ])
        #expect(findings.filter { $0.subject == "INS-REDIS" }.isEmpty, "\(findings.map(\.message))")
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

    /// (rules, whether the exception accepts INS-TELNET): accepting discharges 2.2.5 and 1.2.6 only, so
    /// the Telnet finding stays with 2.2.7 and 8.3.2; not accepting leaves all four ids.
    @Test(arguments: [
        ([String](), true), (["INS-TELNET"], true), ([EvaluationRule.insecureService], true), (["INS-FTP"], false),
        ([EvaluationRule.cleartextAdmin], false),
    ])
    func exceptionRulesDecideWhatIsDischarged(rules: [String], accepts: Bool) throws {
        let policy = Fixture.policy(exceptions: [
            Fixture.telnetException(expires: Fixture.day("2026-12-31"), rules: rules)
        ])
        let findings = Fixture.evaluate(
            [Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt", handshakes: ["INS-TELNET": "confirmed"])],
            policy: policy)
        let finding = try #require(findings.rule(EvaluationRule.insecureService).first)
        #expect(finding.severity == .critical)
        #expect(finding.requirements.map(\.id) == (accepts ? ["2.2.7", "8.3.2"] : Self.telnet))
        #expect(finding.message.contains("Exception EX-7 discharges 2.2.5 and 1.2.6 only") == accepts)
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
        #expect(
            ids.count == 51,
            "27 reference rows, VNC None split off, SNMP default community, 2 NTP, open DNS resolver, DNS AXFR, 2 MQTT, AMQP, 2 ZooKeeper, 2 etcd, PPTP, SNMPv3 noAuthNoPriv, 2 IPP, LPD, raw print port, 5 handshake-only rows"
        )
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("INS-") })
        for rule in pack.rules {
            #expect(Array(rule.requirements.prefix(2)).map(\.id) == ["2.2.5", "1.2.6"], "\(rule.id): every row")
            #expect(
                !rule.requirements.contains(Requirement("11.4.5")) && !rule.requirements.contains(Requirement("10.3.2"))
            )
            #expect(!rule.ports.contains { $0.matches(.udp, 162) }, "\(rule.id): udp/162 is a trap receiver")
            let handshakeOnly =
                InsecureServiceRulePack.tlsQualityRuleIDs.contains(rule.id)
                || [
                    "INS-SSH-WEAK", "INS-SMTP-AUTH-CLEAR", "INS-NTP-MODE6", "INS-NTP-MODE7", "INS-DNS-OPEN-RESOLVER",
                    "INS-DNS-AXFR", "INS-SNMPV3-NOAUTH",
                ]
                .contains(rule.id)
            #expect(rule.ports.isEmpty == handshakeOnly, "\(rule.id) ports")
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
        ("INS-HTTP-ADMIN", ["2.2.5", "1.2.6", "2.2.7", "8.3.2"], .high, .critical),
        ("INS-DOCKER-API", ["2.2.5", "1.2.6", "2.2.7", "8.3.1"], .critical, .critical),
        ("INS-REDIS", ["2.2.5", "1.2.6", "8.3.1"], .high, .critical),
        ("INS-MEMCACHED", ["2.2.5", "1.2.6", "2.2.4", "8.3.1"], .high, .high),
        ("INS-VNC-NONE", ["2.2.5", "1.2.6", "2.2.7", "8.3.1"], .critical, .critical),
        ("INS-VNC", ["2.2.5", "1.2.6", "2.2.7", "8.3.2"], .high, .critical),
        ("INS-SNMP-DEFAULT-COMMUNITY", ["2.2.5", "1.2.6", "2.2.2", "8.3.2"], .critical, .critical),
        ("INS-SYSLOG-UDP", ["2.2.5", "1.2.6", "10.3.3", "10.7.2"], .info, .low),
        ("INS-WINRM-HTTP", ["2.2.5", "1.2.6", "2.2.7"], .low, .medium),
        ("INS-NETBIOS", ["2.2.5", "1.2.6", "2.2.4"], .medium, .medium),
        ("INS-TLS-OLD", ["2.2.5", "1.2.6"], .high, .high),
        ("INS-TLS-WEAK-CIPHER", ["2.2.5", "1.2.6"], .high, .high),
        ("INS-TLS-CERT", ["2.2.5", "1.2.6"], .medium, .high),
        ("INS-TLS-CERT-SELF-SIGNED", ["2.2.5", "1.2.6"], .low, .medium),
        ("INS-SSH-WEAK", ["2.2.5", "1.2.6", "2.2.7", "8.3.2"], .medium, .high),
        ("INS-SMTP-AUTH-CLEAR", ["2.2.5", "1.2.6", "8.3.2"], .medium, .high),
        ("INS-MQTT-ANON", ["2.2.5", "1.2.6", "8.3.1"], .high, .critical),
        ("INS-MQTT-CLEAR", ["2.2.5", "1.2.6", "8.3.2"], .medium, .high),
        ("INS-ZOOKEEPER-ANON", ["2.2.5", "1.2.6", "8.3.1"], .high, .critical),
        ("INS-ZOOKEEPER-CLEAR", ["2.2.5", "1.2.6", "8.3.2"], .medium, .high),
        ("INS-ETCD-ANON", ["2.2.5", "1.2.6", "2.2.7", "8.3.1"], .critical, .critical),
        ("INS-ETCD-CLEAR", ["2.2.5", "1.2.6", "2.2.7", "8.3.2"], .high, .critical),
        ("INS-NTP-MODE6", ["2.2.5", "1.2.6", "2.2.4"], .medium, .medium),
        ("INS-NTP-MODE7", ["2.2.5", "1.2.6", "2.2.4"], .high, .high),
        ("INS-DNS-OPEN-RESOLVER", ["2.2.5", "1.2.6", "2.2.4"], .medium, .high),
        ("INS-DNS-AXFR", ["2.2.5", "1.2.6", "2.2.4"], .medium, .high),
        ("INS-PPTP", ["2.2.5", "1.2.6", "8.3.2"], .high, .critical),
        ("INS-IPP-ANON", ["2.2.5", "1.2.6", "8.3.1"], .medium, .high),
        ("INS-IPP-CLEAR", ["2.2.5", "1.2.6", "8.3.2"], .medium, .high),
        ("INS-LPD", ["2.2.5", "1.2.6", "8.3.1"], .medium, .high),
        ("INS-JETDIRECT", ["2.2.5", "1.2.6", "8.3.1"], .medium, .high),
        ("INS-AMQP-CLEAR", ["2.2.5", "1.2.6", "8.3.2"], .medium, .high),
        ("INS-SNMPV3-NOAUTH", ["2.2.5", "1.2.6", "2.2.4", "8.3.1"], .high, .high),
    ])
    func rowsMatchTheReference(id: String, requirements: [String], normal: Severity, cde: Severity) throws {
        let rule = try #require(pack.rule(id: id))
        #expect(rule.requirements.map(\.id) == requirements)
        #expect(rule.defaultSeverity == normal)
        #expect(rule.cdeSeverity == cde)
    }

    @Test(arguments: [
        (Transport.udp, UInt16(514), ["INS-SYSLOG-UDP"]), (.tcp, 514, ["INS-RSH"]), (.tcp, 23, ["INS-TELNET"]),
        (.tcp, 5903, ["INS-VNC-NONE", "INS-VNC"]), (.udp, 162, []), (.tcp, 20, []),
        (.udp, 161, ["INS-SNMPV12", "INS-SNMP-DEFAULT-COMMUNITY"]), (.tcp, 6063, ["INS-X11"]), (.tcp, 6064, []),
        (.tcp, 139, ["INS-SMB1", "INS-NETBIOS"]),
        (.udp, 11211, ["INS-MEMCACHED"]), (.tcp, 1883, ["INS-MQTT-ANON", "INS-MQTT-CLEAR"]),
        (.tcp, 2379, ["INS-ETCD-ANON", "INS-ETCD-CLEAR"]), (.tcp, 990, []),
        (.tcp, 22, []), (.udp, 518, ["INS-SMALLSVC"]), (.udp, 123, []),
        (.udp, 53, []), (.tcp, 53, []),
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
            [
                Fixture.obs("10.20.1.60", port: 9999, handshakes: ["INS-CUSTOM": "confirmed"]),
                Fixture.obs("10.20.1.60", port: 23, handshakes: ["INS-TELNET": "confirmed"]),
            ], at: Fixture.now)
        let insecure = findings.rule(EvaluationRule.insecureService)
        let finding = try #require(insecure.first)
        #expect(insecure.count == 1, "telnet is not in this pack")
        #expect(finding.subject == "INS-CUSTOM")
        #expect(finding.severity == .high, "confirmed in a CDE zone")
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
