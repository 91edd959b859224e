import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

/// The requirement-id matrix of `docs/rules.md`: host zone kind × vantage kind × evidence kind, each
/// cell with its expected ids and severity, run through the whole evaluator.
@Suite("Evaluator: requirement ids follow the facts")
struct EvaluatorTagMatrixTests {
    /// One host zone and one vantage zone per kind, so that a host is never scanned from its own zone.
    static let kinds: [(String, ZoneKind)] = [
        ("cde", .cde), ("connected", .connected), ("security", .security), ("oos", .outOfScope),
        ("untrusted", .untrusted), ("wireless", .wireless),
    ]
    static let zones: [Zone] = kinds.enumerated().flatMap { index, entry in
        [
            Zone(id: "h-\(entry.0)", kind: entry.1, prefixes: [Fixture.prefix("10.\(index + 1).0.0/16")]),
            Zone(id: "v-\(entry.0)", kind: entry.1, prefixes: [Fixture.prefix("10.\(index + 101).0.0/16")]),
        ]
    }

    static func host(_ kind: String) -> String {
        "10.\((kinds.firstIndex { $0.0 == kind } ?? 0) + 1).0.7"
    }

    /// `nil` vantage means unknown: no label and no source address.
    static func observation(host: String, vantage: String?, evidence: String, port: UInt16 = 8080) -> Observation {
        switch evidence {
        case "host": return Fixture.obs(host, port: port, source: .host, vantage: nil, bind: .wildcard)
        case "host-import": return Fixture.obs(host, port: port, source: .import, vantage: nil, bind: .wildcard)
        case "import": return Fixture.obs(host, port: port, source: .import, vantage: vantage.map { "v-\($0)" })
        default: return Fixture.obs(host, port: port, vantage: vantage.map { "v-\($0)" })
        }
    }

    struct Cell: Sendable, CustomTestStringConvertible {
        var host: String
        var vantage: String?
        var severity: Severity
        var ids: [String]
        var testDescription: String { "\(host) host from \(vantage ?? "unknown") vantage" }
    }

    static let cde = ["1.2.5", "1.3.1", "2.2.4"]
    static let scope = ["1.2.5", "2.2.4"]

    /// PW-UNAUTHORIZED-PORT from network evidence (scan and imported scan alike).
    static let networkCells: [Cell] = [
        Cell(host: "cde", vantage: "cde", severity: .high, ids: scope),
        Cell(host: "cde", vantage: "connected", severity: .critical, ids: cde),
        Cell(host: "cde", vantage: "security", severity: .critical, ids: cde),
        Cell(host: "cde", vantage: "oos", severity: .critical, ids: cde),
        Cell(host: "cde", vantage: "untrusted", severity: .critical, ids: cde),
        Cell(host: "cde", vantage: "wireless", severity: .critical, ids: cde),
        Cell(host: "cde", vantage: nil, severity: .high, ids: scope),
        Cell(host: "connected", vantage: "cde", severity: .high, ids: scope),
        Cell(host: "connected", vantage: "connected", severity: .high, ids: scope),
        Cell(host: "connected", vantage: "security", severity: .high, ids: scope),
        Cell(host: "connected", vantage: "oos", severity: .high, ids: scope),
        Cell(host: "connected", vantage: "untrusted", severity: .high, ids: scope),
        Cell(host: "connected", vantage: "wireless", severity: .high, ids: scope),
        Cell(host: "connected", vantage: nil, severity: .high, ids: scope),
        Cell(host: "security", vantage: "cde", severity: .high, ids: scope),
        Cell(host: "security", vantage: "connected", severity: .high, ids: scope),
        Cell(host: "security", vantage: "security", severity: .high, ids: scope),
        Cell(host: "security", vantage: "oos", severity: .high, ids: scope),
        Cell(host: "security", vantage: "untrusted", severity: .high, ids: scope),
        Cell(host: "security", vantage: "wireless", severity: .high, ids: scope),
        Cell(host: "security", vantage: nil, severity: .high, ids: scope),
        Cell(host: "oos", vantage: "cde", severity: .low, ids: []),
        Cell(host: "oos", vantage: "connected", severity: .low, ids: []),
        Cell(host: "oos", vantage: "security", severity: .low, ids: []),
        Cell(host: "oos", vantage: "oos", severity: .low, ids: []),
        Cell(host: "oos", vantage: "untrusted", severity: .low, ids: []),
        Cell(host: "oos", vantage: "wireless", severity: .low, ids: []),
        Cell(host: "oos", vantage: nil, severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "cde", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "connected", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "security", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "oos", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "untrusted", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "wireless", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: nil, severity: .low, ids: []),
        Cell(host: "wireless", vantage: "cde", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "connected", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "security", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "oos", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "untrusted", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "wireless", severity: .low, ids: []),
        Cell(host: "wireless", vantage: nil, severity: .low, ids: []),
    ]

    static let policy = Policy(zones: zones, services: [], exceptions: [])

    @Test(arguments: networkCells, ["scan", "import"])
    func unauthorizedPortFromTheNetwork(_ cell: Cell, evidence: String) throws {
        let observation = Self.observation(host: Self.host(cell.host), vantage: cell.vantage, evidence: evidence)
        let findings = Fixture.evaluate([observation], policy: Self.policy).rule(EvaluationRule.unauthorizedPort)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == cell.severity)
        #expect(finding.requirements.map(\.id) == cell.ids)
        #expect(finding.message.contains("Vantage unknown") == (cell.vantage == nil && !cell.ids.isEmpty))
        #expect(finding.message.contains("no requirement is claimed") == cell.ids.isEmpty)
    }

    /// PW-UNAUTHORIZED-PORT from the host's own listener inventory (native or an imported ss/osquery
    /// list): no network control was involved, so 2.2.4 only, whatever vantage label it carries.
    @Test(
        arguments: [
            ("cde", Severity.high, ["2.2.4"]), ("connected", .medium, ["2.2.4"]), ("security", .medium, ["2.2.4"]),
            ("oos", .info, []), ("untrusted", .info, []), ("wireless", .info, []),
        ], ["host", "host-import"])
    func unauthorizedPortFromTheHostAgent(host: (String, Severity, [String]), evidence: String) throws {
        let observation = Self.observation(host: Self.host(host.0), vantage: nil, evidence: evidence)
        let finding = try #require(
            Fixture.evaluate([observation], policy: Self.policy).rule(EvaluationRule.unauthorizedPort).first)
        #expect(finding.severity == host.1)
        #expect(finding.requirements.map(\.id) == host.2)
        #expect(finding.message.contains("no network control was tested"))
    }

    @Test(arguments: ["scan", "import", "host"])
    func hostOutsideEveryZoneIsAnInventoryGap(evidence: String) throws {
        let observation = Self.observation(host: "172.16.0.7", vantage: "cde", evidence: evidence)
        let findings = Fixture.evaluate([observation], policy: Self.policy)
        let finding = try #require(findings.rule(EvaluationRule.hostOutsideZones).first)
        #expect(finding.severity == .medium)
        #expect(finding.requirements.map(\.id) == ["12.5.1"])
        #expect(findings.rule(EvaluationRule.unauthorizedPort).isEmpty)
    }

    /// PW-SOURCE-NOT-PERMITTED by zone pair: a service in the host's zone that allows its own zone
    /// only, reached from each vantage kind.
    static let sourceCells: [Cell] = [
        Cell(host: "cde", vantage: "cde", severity: .high, ids: ["1.2.5"]),
        Cell(host: "cde", vantage: "connected", severity: .critical, ids: ["1.2.5", "1.3.1"]),
        Cell(host: "cde", vantage: "security", severity: .critical, ids: ["1.2.5", "1.3.1"]),
        Cell(host: "cde", vantage: "oos", severity: .critical, ids: ["1.2.5", "1.3.1", "12.5.2"]),
        Cell(host: "cde", vantage: "untrusted", severity: .critical, ids: ["1.2.5", "1.3.1", "1.4.2"]),
        Cell(host: "cde", vantage: "wireless", severity: .critical, ids: ["1.2.5", "1.3.1", "1.3.3"]),
        Cell(host: "cde", vantage: nil, severity: .high, ids: ["1.2.5"]),
        Cell(host: "connected", vantage: "cde", severity: .high, ids: ["1.2.5", "1.3.2"]),
        Cell(host: "connected", vantage: "connected", severity: .high, ids: ["1.2.5"]),
        Cell(host: "connected", vantage: "security", severity: .high, ids: ["1.2.5"]),
        Cell(host: "connected", vantage: "oos", severity: .high, ids: ["1.2.5"]),
        Cell(host: "connected", vantage: "untrusted", severity: .high, ids: ["1.2.5", "1.4.2"]),
        Cell(host: "connected", vantage: "wireless", severity: .high, ids: ["1.2.5"]),
        Cell(host: "connected", vantage: nil, severity: .high, ids: ["1.2.5"]),
        Cell(host: "security", vantage: "cde", severity: .high, ids: ["1.2.5", "1.3.2"]),
        Cell(host: "security", vantage: "connected", severity: .high, ids: ["1.2.5"]),
        Cell(host: "security", vantage: "security", severity: .high, ids: ["1.2.5"]),
        Cell(host: "security", vantage: "oos", severity: .high, ids: ["1.2.5"]),
        Cell(host: "security", vantage: "untrusted", severity: .high, ids: ["1.2.5", "1.4.2"]),
        Cell(host: "security", vantage: "wireless", severity: .high, ids: ["1.2.5"]),
        Cell(host: "security", vantage: nil, severity: .high, ids: ["1.2.5"]),
        Cell(host: "oos", vantage: "cde", severity: .high, ids: ["1.3.2"]),
        Cell(host: "oos", vantage: "connected", severity: .low, ids: []),
        Cell(host: "oos", vantage: "security", severity: .low, ids: []),
        Cell(host: "oos", vantage: "oos", severity: .low, ids: []),
        Cell(host: "oos", vantage: "untrusted", severity: .low, ids: []),
        Cell(host: "oos", vantage: "wireless", severity: .low, ids: []),
        Cell(host: "oos", vantage: nil, severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "cde", severity: .high, ids: ["1.3.2"]),
        Cell(host: "untrusted", vantage: "connected", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "security", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "oos", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "untrusted", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: "wireless", severity: .low, ids: []),
        Cell(host: "untrusted", vantage: nil, severity: .low, ids: []),
        Cell(host: "wireless", vantage: "cde", severity: .high, ids: ["1.3.2"]),
        Cell(host: "wireless", vantage: "connected", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "security", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "oos", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "untrusted", severity: .low, ids: []),
        Cell(host: "wireless", vantage: "wireless", severity: .low, ids: []),
        Cell(host: "wireless", vantage: nil, severity: .low, ids: []),
    ]

    @Test(arguments: sourceCells, ["scan", "import"])
    func sourceNotPermittedByZonePair(_ cell: Cell, evidence: String) throws {
        let service = Service(
            id: "svc", zone: "h-\(cell.host)", ports: Fixture.ports("tcp/8080"), justification: "need", owner: "o",
            approvedBy: "a", approvedOn: Fixture.day("2026-09-01"))
        let policy = Policy(zones: Self.zones, services: [service])
        let observation = Self.observation(host: Self.host(cell.host), vantage: cell.vantage, evidence: evidence)
        let findings = Fixture.evaluate([observation], policy: policy).rule(EvaluationRule.sourceNotPermitted)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == cell.severity)
        #expect(finding.requirements.map(\.id) == cell.ids)
        #expect(!finding.requirements.contains(Requirement("11.4.5")))
        if cell.vantage == nil, !cell.ids.isEmpty { #expect(finding.message.contains("Vantage unknown")) }
        // An out-of-scope, untrusted, wireless or unknown source is never suggested for allow-from.
        let risky = cell.vantage.map { ["oos", "untrusted", "wireless"].contains($0) } ?? true
        #expect(finding.remediation.contains("add the zone") == !risky, "\(finding.remediation)")
    }

    @Test(arguments: ["host", "host-import"])
    func hostAgentEvidenceIsNoReachabilityTest(evidence: String) {
        let service = Service(
            id: "svc", zone: "h-cde", ports: Fixture.ports("tcp/8080"), justification: "need", owner: "o",
            approvedBy: "a", approvedOn: Fixture.day("2026-09-01"))
        let policy = Policy(zones: Self.zones, services: [service])
        let findings = Fixture.evaluate(
            [Self.observation(host: Self.host("cde"), vantage: "oos", evidence: evidence)], policy: policy)
        #expect(findings.rule(EvaluationRule.sourceNotPermitted).isEmpty)
    }
}
