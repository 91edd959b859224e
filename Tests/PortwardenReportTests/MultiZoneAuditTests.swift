import Foundation
import PortwardenCore
import PortwardenPolicy
import PortwardenReport
import Testing

/// A multi-zone audit of `examples/multi-zone.yaml` from two vantages plus a host inventory, checked
/// row by row against the corrected reference (PCI DSS reference §0, insecure services §0): the
/// findings with their ids and severity, the coverage lines and the 1.2.5 CSV.
@Suite("Multi-zone audit, row by row")
struct MultiZoneAuditTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let time = Timestamp.parse("2026-11-29T10:00:00Z") ?? Date()
    static let now = Timestamp.parse("2026-11-29T12:00:00Z") ?? Date()

    static func obs(
        _ host: String, _ port: UInt16, _ state: PortState = .open, vantage: String? = "corp",
        source: String? = "10.0.0.5", from: ObservationSource = .scan, handshakes: [String: String]? = nil,
        process: String? = nil, bind: BindScope? = nil
    ) -> Observation {
        Observation(
            time: time, host: IPAddress(host) ?? IPAddress(ipv4: 0), transport: .tcp, port: port, state: state,
            reason: state == .open ? "syn-ack" : "conn-refused", source: from, vantage: vantage, process: process,
            bind: bind, handshakes: handshakes, sourceAddress: source.flatMap(IPAddress.init))
    }

    static let observations: [Observation] = [
        obs("10.20.1.10", 5432), obs("10.20.1.10", 5431, .closed), obs("10.20.1.10", 5433, .closed),
        obs("10.20.1.12", 23, vantage: "security", source: "10.20.9.5", handshakes: ["INS-TELNET": "confirmed"]),
        obs("10.20.2.7", 8443), obs("10.20.2.7", 3389),
        obs("10.20.2.7", 22, vantage: nil, source: nil, from: .host, process: "/usr/sbin/sshd", bind: .wildcard),
        obs("127.0.0.1", 22, vantage: nil, source: nil, from: .host, process: "/usr/sbin/sshd", bind: .wildcard),
        obs("10.0.3.3", 8080), obs("192.168.7.7", 80),
    ]

    static func context() throws -> AuditContext {
        let loaded = PolicyLoader.load(contentsOf: root + "/examples/multi-zone.yaml")
        let policy = try #require(loaded.policy, "\(loaded.diagnostics)")
        let findings = Evaluator(policy: policy).evaluate(observations, at: now)
        return AuditContext(
            policy: policy, policyPath: "examples/multi-zone.yaml", generatedAt: now, observations: observations,
            findings: findings, toolVersion: "test")
    }

    @Test func findingsMatchTheReference() throws {
        let context = try Self.context()
        let rows = context.orderedFindings.map { finding in
            [
                finding.severity.rawValue, finding.rule, finding.zone ?? "-",
                finding.host.map { "\($0)" + (finding.port.map { ":\($0)" } ?? "") } ?? "-", finding.subject ?? "-",
                finding.requirements.map(\.id).joined(separator: " "),
            ].joined(separator: " | ")
        }
        #expect(
            rows == [
                "critical | PW-SOURCE-NOT-PERMITTED | cde-app | 10.20.2.7:8443 | payment-api | 1.2.5 1.3.1 12.5.2",
                "critical | PW-SOURCE-NOT-PERMITTED | cde-db | 10.20.1.10:5432 | pg-primary | 1.2.5 1.3.1 12.5.2",
                "critical | PW-UNAUTHORIZED-PORT | cde-app | 10.20.2.7:3389 | - | 1.2.5 1.3.1 2.2.4",
                "medium | PW-HOST-OUTSIDE-ZONES | - | 192.168.7.7 | - | 12.5.1",
                "medium | PW-INSECURE-SERVICE | cde-db | 10.20.1.12:23 | INS-TELNET | 2.2.7 8.3.2",
                "medium | PW-REVIEW-OVERDUE | cde-db | - | cde-db | 1.2.7",
                "low | PW-UNAUTHORIZED-PORT | corp | 10.0.3.3:8080 | - | ",
                "info | PW-UNVERIFIED-SERVICE | cde-app | 10.20.2.7:3389 | INS-RDP-NONLA | ",
                "info | PW-UNVERIFIED-SERVICE | cde-db | 10.20.1.10:5432 | INS-DB-CLEAR | ",
            ], "\(rows.joined(separator: "\n"))")
        let telnet = try #require(context.findings.first { $0.subject == "INS-TELNET" })
        #expect(telnet.message.contains("in place via compensating control CCW-2026-03"))
        #expect(context.failingFindings.count == 3)
        #expect(context.findings.allSatisfy { !$0.requirements.contains(Requirement("11.4.5")) })
        #expect(context.findings.allSatisfy { !$0.requirements.contains(Requirement("1.5.1")) })
    }

    @Test func coverageLinesSayWhatWasProbed() throws {
        let context = try Self.context()
        let coverage = RunCoverage(observations: context.observations)
        #expect(
            coverage.lines == [
                "3 hosts: tcp 1 port probed (1 open)", "1 host: tcp 3 ports probed (1 open, 2 closed)",
                "1 host: tcp 2 ports probed (2 open)",
            ])
        #expect(coverage.sourceAddresses.map(\.description) == ["10.0.0.5", "10.20.9.5"])
        #expect(coverage.vantages == ["corp", "security"])
        let summary = AuditSummary.render(context, color: false)
        #expect(summary.contains("  from       vantage corp, security; source address 10.0.0.5, 10.20.9.5\n"))
        #expect(summary.contains("  coverage   3 hosts: tcp 1 port probed (1 open)\n"))
        #expect(summary.contains("3 findings at or above high (exit 1)."))
        #expect(!summary.contains("PASS") && !summary.lowercased().contains("compliant "))
    }

    @Test func requirementStatusNeverClaimsCompliance() throws {
        let table = RequirementStatus.table(try Self.context())
        func state(_ id: String) -> RequirementStatus.State? { table.first { $0.requirement.id == id }?.state }
        #expect(state("1.3.1") == .findings)
        #expect(state("2.2.7") == .findings)
        #expect(state("1.2.6") == .evidencePresent, "discharged by EX-7, detection ran")
        #expect(state("11.4.5") == .notEvidenced)
        #expect(state("1.2.1") == .notEvidenced)
    }

    /// 2.2.4 from a network scan alone says how many ports it found open, also when none were.
    @Test func networkOnlyEvidenceCountsWhatWasOpen() throws {
        var context = try Self.context()
        context.observations = context.observations.filter { EvidenceKind(source: $0.source, bind: $0.bind).isNetwork }
        // Without findings on 2.2.4, its row shows the evidence.
        context.findings.removeAll { $0.requirements.contains { $0.id == "2.2.4" } }
        let open = context.observations.filter { $0.state == .open }.count
        #expect(open > 1)
        func detail() -> String? { RequirementStatus.table(context).first { $0.requirement.id == "2.2.4" }?.detail }
        #expect(detail() == "network scan only (no host listener inventory): \(open) ports found open")
        for index in context.observations.indices { context.observations[index].state = .closed }
        #expect(detail() == "network scan only (no host listener inventory): 0 ports found open")
    }

    /// A service provider's report names the provider-only requirements as not evidenced, never as met;
    /// a merchant's does not list them. 10.7.1 is listed for neither (superseded by 10.7.2).
    @Test(arguments: [
        (EntityType.merchant, ["11.4.5"], ["11.4.6", "12.4.2", "12.5.2.1", "10.7.1"]),
        (EntityType.serviceProvider, ["11.4.5", "11.4.6", "12.4.2", "12.5.2.1"], ["10.7.1"]),
    ])
    func requirementStatusFollowsTheEntity(_ entity: EntityType, notEvidenced: [String], absent: [String]) throws {
        var context = try Self.context()
        context.policy.entity = entity
        let table = RequirementStatus.table(context)
        for id in notEvidenced {
            let row = try #require(table.first { $0.requirement.id == id }, "\(id) for \(entity)")
            #expect(row.state == .notEvidenced, "\(id)")
        }
        for id in absent { #expect(!table.contains { $0.requirement.id == id }, "\(id) for \(entity)") }
        #expect(AuditSummary.render(context, color: false).contains("12.5.2.1") == (entity == .serviceProvider))
    }

    @Test func allowedServicesCSVMatchesThePolicyRowByRow() throws {
        let csv = AllowedServicesCSV.render(try Self.context().policy)
        let rows = csv.components(separatedBy: "\r\n")
        #expect(
            rows == [
                "kind,id,zone,hosts,protocol,ports,allow_from,justification,owner,approved_by,approved_on,ticket,"
                    + "insecure_per_pack,features,expires,compensating_control",
                "service,pg-primary,cde-db,10.20.1.10/32 10.20.1.11/32,tcp,tcp/5432,cde-app,Card vault storage for the "
                    + "payment API,payments-team,ciso,2026-09-01,CHG-1042,INS-DB-CLEAR,,,",
                "service,payment-api,cde-app,all hosts of the zone,tcp,tcp/8443,web-dmz 203.0.113.0/24,Payment API for "
                    + "the web shop and the partner gateway,payments-team,ciso,2026-09-01,CHG-1043,,,,",
                "service,ssh-admin,cde-app,all hosts of the zone,tcp,tcp/22,security,Administration from the jump hosts "
                    + "only,payments-team,ciso,2026-09-01,CHG-1044,,,,",
                "service,syslog,security,10.20.9.20/32,udp tcp,udp/514 tcp/6514,cde-db cde-app,Central collection of "
                    + "audit logs (PCI DSS 10.3.3),secops,ciso,2026-09-01,CHG-1045,INS-SYSLOG-UDP,,,",
                "service,dns,corp,10.0.0.53/32,udp tcp,udp/53 tcp/53,any,Internal name resolution,it-team,network-lead,"
                    + "2026-05-15,,,,,",
                "exception,EX-7,cde-db,10.20.1.12/32,tcp,tcp/23,10.20.9.5/32,Legacy HSM console until the vendor ships "
                    + "an SSH-capable firmware,payments-team,ciso,2026-07-01,RISK-77,INS-TELNET,source-restricted "
                    + "extra-logging,2026-12-31,CCW-2026-03",
                "",
            ], "\(rows.joined(separator: "\n"))")
    }

    @Test func csvFieldsAreQuotedAndDefused() {
        #expect(AllowedServicesCSV.field("a, b") == "\"a, b\"")
        #expect(AllowedServicesCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AllowedServicesCSV.field("=cmd()") == "'=cmd()")
    }
}
