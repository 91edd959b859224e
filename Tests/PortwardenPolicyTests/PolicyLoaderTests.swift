import Foundation
import PortwardenCore
import Testing

@testable import PortwardenPolicy

@Suite("Policy loader: valid policies")
struct PolicyLoaderTests {
    @Test(
        "the examples lint with zero diagnostics", arguments: ["examples/localhost.yaml", "examples/multi-zone.yaml"])
    func examplesAreClean(relative: String) throws {
        let result = PolicyLoader.load(contentsOf: PolicyFixtures.path(relative))
        #expect(result.diagnostics.isEmpty, "\(result.rendered)")
        #expect(result.policy != nil)
        #expect(!result.hasErrors)
    }

    @Test("the example in docs/policy.md loads with zero diagnostics and equals examples/multi-zone.yaml")
    func docsExampleMatchesFile() throws {
        let text = try PolicyFixtures.docsExample()
        let fromDocs = PolicyLoader.parse(text, file: "docs/policy.md")
        #expect(fromDocs.diagnostics.isEmpty, "\(fromDocs.rendered)")
        let fromFile = PolicyLoader.load(contentsOf: PolicyFixtures.path("examples/multi-zone.yaml"))
        let docsPolicy = try #require(fromDocs.policy)
        #expect(docsPolicy == fromFile.policy)
    }

    @Test("the multi-zone example yields the expected policy values")
    func multiZoneValues() throws {
        let result = PolicyLoader.load(contentsOf: PolicyFixtures.path("examples/multi-zone.yaml"))
        let policy = try #require(result.policy, "\(result.rendered)")
        #expect(policy.version == 1)
        #expect(policy.organization == "Example Payments Ltd")
        #expect(policy.entity == .merchant)
        #expect(policy.review.every == .sixMonths)
        #expect(policy.review.last == CalendarDay(year: 2026, month: 7, day: 1))
        #expect(policy.zones.map(\.id) == ["cde-db", "cde-app", "security", "web-dmz", "corp"])
        #expect(policy.zones.map(\.kind) == [.cde, .cde, .security, .connected, .outOfScope])

        let db = try #require(policy.zone("cde-db"))
        #expect(db.prefixes == [try #require(Prefix("10.20.1.0/24"))])
        #expect(db.review == ReviewCadence(count: 3, unit: .months))
        #expect(db.owner == "payments-team")
        let app = try #require(policy.zone("cde-app"))
        #expect(app.prefixes.map(\.description) == ["10.20.2.0/24", "2001:db8:20:2::/64"])

        let pg = try #require(policy.services.first { $0.id == "pg-primary" })
        #expect(pg.zone == "cde-db")
        #expect(pg.hosts.map(\.description) == ["10.20.1.10/32", "10.20.1.11/32"])
        #expect(pg.ports == [PortSpec(.tcp, port: 5432)])
        #expect(pg.process == "postgres")
        #expect(pg.bind == .address)
        #expect(pg.allowFrom == [.zone("cde-app")])
        #expect(pg.justification == "Card vault storage for the payment API")
        #expect(pg.owner == "payments-team")
        #expect(pg.approvedBy == "ciso")
        #expect(pg.approvedOn == CalendarDay(year: 2026, month: 9, day: 1))
        #expect(pg.ticket == "CHG-1042")

        let api = try #require(policy.services.first { $0.id == "payment-api" })
        #expect(api.hosts.isEmpty)
        #expect(api.allowFrom == [.zone("web-dmz"), .prefix(try #require(Prefix("203.0.113.0/24")))])
        let ssh = try #require(policy.services.first { $0.id == "ssh-admin" })
        #expect(ssh.ports == [PortSpec(.tcp, port: 22)])
        #expect(ssh.approvedOn == CalendarDay(year: 2026, month: 9, day: 1))
        let syslog = try #require(policy.services.first { $0.id == "syslog" })
        #expect(syslog.ports == [PortSpec(.udp, port: 514), PortSpec(.tcp, port: 6514)])
        let dns = try #require(policy.services.first { $0.id == "dns" })
        #expect(dns.allowFrom == [.any])

        let exception = try #require(policy.exceptions.first)
        #expect(policy.exceptions.count == 1)
        #expect(exception.id == "EX-7")
        #expect(exception.zone == "cde-db")
        #expect(exception.ports == [PortSpec(.tcp, port: 23)])
        #expect(exception.allowFrom == [.prefix(try #require(Prefix("10.20.9.5/32")))])
        #expect(exception.rules == ["PW-INSECURE-SERVICE", "INS-TELNET"])
        #expect(exception.mitigations == ["source-restricted", "extra-logging"])
        #expect(exception.expires == CalendarDay(year: 2026, month: 12, day: 31))
        #expect(exception.ticket == "RISK-77")
        #expect(exception.compensatingControl == "CCW-2026-03")
        #expect(exception.approvedOn == CalendarDay(year: 2026, month: 7, day: 1))
    }

    @Test("the localhost example declares the loopback zone and SSH")
    func localhostValues() throws {
        let result = PolicyLoader.load(contentsOf: PolicyFixtures.path("examples/localhost.yaml"))
        let policy = try #require(result.policy, "\(result.rendered)")
        let zone = try #require(policy.zones.first)
        #expect(policy.zones.count == 1)
        #expect(zone.id == "local")
        #expect(zone.kind == .connected)
        #expect(zone.prefixes.map(\.description) == ["127.0.0.1/32", "::1/128"])
        let ssh = try #require(policy.services.first)
        #expect(ssh.ports == [PortSpec(.tcp, port: 22)])
        #expect(ssh.allowFrom == [.zone("local")])
        #expect(ssh.approvedBy == "ciso")
    }

    @Test("plain and quoted ports and dates read the same")
    func quotedScalars() throws {
        let text = """
            version: "1"
            zones:
              - {id: z, kind: connected, prefixes: ['10.1.0.0/16']}
            services:
              - id: a
                zone: z
                ports: ["tcp/22", 'udp/53', tcp/8000-8080]
                justification: j
                owner: o
                approved-by: p
                approved-on: '2026-02-28'
            exceptions:
              - id: e
                zone: z
                ports: [tcp/23]
                justification: j
                owner: o
                approved-by: p
                approved-on: 2026-11-02
                expires: "2026-12-31"
            """
        let result = PolicyLoader.parse(text, file: "q.yaml")
        let policy = try #require(result.policy, "\(result.rendered)")
        #expect(result.diagnostics.isEmpty, "\(result.rendered)")
        let ports = try #require(policy.services.first?.ports)
        #expect(ports.map(\.description) == ["tcp/22", "udp/53", "tcp/8000-8080"])
        #expect(policy.services.first?.approvedOn == CalendarDay(year: 2026, month: 2, day: 28))
        #expect(policy.exceptions.first?.expires == CalendarDay(year: 2026, month: 12, day: 31))
    }

    @Test("a diagnostic renders as file:line:column: level: message")
    func diagnosticDescription() {
        let diagnostic = Diagnostic(
            file: "policy.yaml", line: 14, column: 7, level: .error, code: .undeclaredZone,
            message: "service \"pg-primary\" names zone \"cde-dbx\", which is not declared (did you mean \"cde-db\"?)")
        #expect(
            diagnostic.description
                == "policy.yaml:14:7: error: service \"pg-primary\" names zone \"cde-dbx\", which is not declared "
                + "(did you mean \"cde-db\"?)")
        let whole = Diagnostic(file: "p.yaml", level: .error, code: .fileUnreadable, message: "x")
        #expect(whole.description == "p.yaml: error: x")
    }
}
