import Foundation
import PortwardenCore
import PortwardenReport

/// A fixed run for the golden files: fixed dates, every severity, an expiring, an expired, a
/// valid and an open-ended exception, a service missing its justification, and a service never
/// seen listening.
enum ReportFixtures {
    static func date(_ text: String) -> Date { Timestamp.parse(text) ?? Date(timeIntervalSince1970: 0) }
    static func ip(_ text: String) -> IPAddress { IPAddress(text) ?? IPAddress(ipv4: 0) }
    static func prefix(_ text: String) -> Prefix { Prefix(text) ?? Prefix(host: ip("0.0.0.0")) }
    static func port(_ text: String) -> PortSpec { (try? PortSpec.parse(text).get()) ?? PortSpec(.tcp, port: 1) }
    static func day(_ text: String) -> CalendarDay? { CalendarDay(text) }

    static let generatedAt = date("2026-12-10T09:30:00Z")

    static var policy: Policy {
        Policy(
            organization: "Example Payments Ltd",
            zones: [
                Zone(id: "cde-db", kind: .cde, prefixes: [prefix("10.20.1.0/24")], owner: "payments-team"),
                Zone(id: "cde-app", kind: .cde, prefixes: [prefix("10.20.2.0/24")], owner: "payments-team"),
                Zone(id: "corp", kind: .outOfScope, prefixes: [prefix("10.0.0.0/16")], owner: "it"),
            ],
            services: [
                Service(
                    id: "pg-primary", zone: "cde-db", hosts: [prefix("10.20.1.10/32")], ports: [port("tcp/5432")],
                    process: "postgres", allowFrom: [AccessSource("cde-app")],
                    justification: "Card vault storage for the payment API", owner: "payments-team",
                    approvedBy: "ciso", approvedOn: day("2026-09-01"), ticket: "CHG-1042"),
                Service(
                    id: "web-api", zone: "cde-app", ports: [port("tcp/443"), port("tcp/8443")],
                    allowFrom: [AccessSource("corp"), AccessSource("192.0.2.0/24")], owner: "web-team"),
                Service(
                    id: "dns", zone: "corp", hosts: [prefix("10.0.0.53/32")], ports: [port("udp/53")],
                    justification: "Internal name resolution", owner: "it", approvedBy: "cto",
                    approvedOn: day("2026-03-15"), ticket: "CHG-880"),
            ],
            exceptions: [
                PolicyException(
                    id: "EX-7", zone: "cde-db", hosts: [prefix("10.20.1.12/32")], ports: [port("tcp/23")],
                    allowFrom: [AccessSource("10.20.9.5/32")], justification: "Legacy HSM console until vendor patch",
                    mitigations: ["source-restricted", "extra-logging"], owner: "payments-team", approvedBy: "ciso",
                    expires: day("2026-12-31")),
                PolicyException(
                    id: "EX-3", zone: "cde-app", ports: [port("tcp/21")], justification: "Batch file drop",
                    mitigations: ["source-restricted"], owner: "ops", expires: day("2026-06-30")),
                PolicyException(
                    id: "EX-9", zone: "corp", ports: [port("udp/161")], justification: "Printer monitoring",
                    mitigations: ["snmp-v3-only"], owner: "it", expires: day("2027-06-30")),
                PolicyException(id: "EX-10", zone: "corp", ports: [port("tcp/8080")], owner: "it"),
            ]
        )
    }

    static var observations: [Observation] {
        [
            Observation(
                time: date("2026-12-10T09:00:00Z"), host: ip("10.20.1.10"), transport: .tcp, port: 5432, state: .open,
                reason: "syn-ack", vantage: "cde-app", service: "postgresql"),
            Observation(
                time: date("2026-12-09T09:00:00Z"), host: ip("10.20.1.10"), transport: .tcp, port: 5432, state: .open,
                reason: "syn-ack", vantage: "corp", service: "postgresql"),
            Observation(
                time: date("2026-12-10T09:01:00Z"), host: ip("10.20.1.12"), transport: .tcp, port: 23, state: .open,
                reason: "syn-ack", vantage: "corp", service: "telnet"),
            Observation(
                time: date("2026-12-10T09:02:00Z"), host: ip("10.20.1.12"), transport: .tcp, port: 21, state: .open,
                reason: "syn-ack", vantage: "corp", service: "ftp"),
            Observation(
                time: date("2026-12-10T09:03:00Z"), host: ip("10.20.2.5"), transport: .tcp, port: 443, state: .open,
                reason: "listening", source: .host, vantage: "cde-app", service: "https", process: "/usr/sbin/nginx"),
            Observation(
                time: date("2026-12-10T09:04:00Z"), host: ip("10.20.1.10"), transport: .tcp, port: 22, state: .closed,
                reason: "conn-refused", vantage: "corp"),
            Observation(
                time: date("2026-12-10T09:05:00Z"), host: ip("10.20.2.5"), transport: .udp, port: 161,
                state: .openFiltered, reason: "no-response", vantage: "corp"),
        ]
    }

    static var findings: [Finding] {
        [
            Finding(
                rule: "PW-STALE-SERVICE", severity: .low, requirements: [Requirement("1.2.7")], zone: "corp",
                subject: "dns", message: "Service dns (udp/53 on 10.0.0.53) was never observed listening.",
                remediation: "Confirm the service is still needed at the next 1.2.7 review, or remove it."),
            Finding(
                rule: "PW-UNAUTHORIZED-PORT", severity: .critical,
                requirements: [Requirement("1.2.5"), Requirement("2.2.4"), Requirement("1.3.1")], zone: "cde-db",
                host: ip("10.20.1.12"), transport: .tcp, port: 21,
                message: "tcp/21 (ftp) is open on 10.20.1.12 in CDE zone cde-db and reachable from out-of-scope zone "
                    + "corp, but no declared service or valid exception allows it; exception EX-3 covers tcp/21 only "
                    + "in zone cde-app and expired on 2026-06-30.",
                remediation: "Stop the FTP server on 10.20.1.12 or declare it as a justified, approved service.",
                evidence: [
                    FindingEvidence(
                        kind: "observation", summary: "tcp/21 open (syn-ack) from corp",
                        time: date("2026-12-10T09:02:00Z"), source: .scan, vantage: "corp")
                ]),
            Finding(
                rule: "PW-INSECURE-SERVICE", severity: .high,
                requirements: [Requirement("1.2.6"), Requirement("2.2.5")], zone: "cde-app", host: ip("10.20.2.5"),
                transport: .tcp, port: 443, subject: "web-api",
                message: "10.20.2.5:443 accepts TLSv1.0 <weak> & \"legacy\" ciphers.",
                remediation: "Disable TLS 1.0 and 1.1 on web-api.",
                evidence: [FindingEvidence(kind: "observation", summary: "TLSv1.0 accepted", source: .scan)]),
            Finding(
                rule: "PW-MISSING-JUSTIFICATION", severity: .medium, requirements: [Requirement("1.2.5")],
                zone: "cde-app", subject: "web-api", message: "Service web-api has no business justification.",
                remediation: "Add a justification, approver and approval date to service web-api."),
            Finding(
                rule: "PW-EXCEPTION-EXPIRED", severity: .high,
                requirements: [Requirement("1.2.6"), Requirement("2.2.5"), Requirement("1.5.1")], zone: "cde-app",
                subject: "EX-3", message: "Exception EX-3 expired on 2026-06-30.",
                remediation: "Renew EX-3 with a new approval, or close tcp/21 in zone cde-app."),
            Finding(
                rule: "PW-FLOW-BLOCKED", severity: .info, requirements: [], zone: "cde-db", host: ip("fd00::10"),
                transport: .tcp, port: 5432, subject: "pg-primary",
                message: "Declared service pg-primary is blocked from cde-app.",
                remediation: "Check the firewall between cde-app and cde-db."),
        ]
    }

    static func context(findings: [Finding]? = nil, failOn: Severity = .high) -> AuditContext {
        AuditContext(
            policy: policy, policyPath: "policies/cde policy.yaml", generatedAt: generatedAt,
            observations: observations, findings: findings ?? self.findings, scannedTargets: 512,
            scannedPorts: 1000, duration: 42.5, toolVersion: "0.1.0-test", failOn: failOn,
            policyLines: ["web-api": 31, "EX-3": 58])
    }
}
