import Foundation
import PortwardenTestSupport
import Testing

/// The built binary's `audit`, against real listeners inside a network namespace.
@Suite("portwarden audit, end to end", .serialized, .needsNetworkNamespaces)
struct AuditEndToEndTests {
    static let policy = """
        version: 1
        organization: End-to-end test
        review:
          every: 6 months
          last: 2026-10-01
        zones:
          - id: local
            kind: cde
            prefixes: [127.0.0.1/32]
            owner: test-team
        services:
          - id: web
            zone: local
            hosts: [127.0.0.1]
            ports: [tcp/20080]
            allow-from: [local]
            justification: Payment page served to the local test client
            owner: test-team
            approved-by: test-ciso
            approved-on: 2026-09-01
            ticket: CHG-1
          - id: api
            zone: local
            hosts: [127.0.0.1]
            ports: [tcp/20443-20444]
            allow-from: [local]
            justification: Payment API
            owner: test-team
            approved-by: test-ciso
            approved-on: 2026-09-01
            ticket: CHG-2
        """

    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func findsExactlyTheUnauthorizedPorts() throws {
        let namespace = try NetworkNamespace(prefix: "audit")
        defer { namespace.remove() }
        let listeners = try Listeners(in: namespace, address: "127.0.0.1", ports: [20080, 20443, 20123, 20999, 20500])
        defer { _ = listeners }
        let scratch = try ScratchDirectory()
        let policyPath = try scratch.write("policy.yaml", Self.policy)
        let reportDir = scratch.path("report")
        let result = try Binary.run(
            in: namespace,
            ["audit", "--policy", policyPath, "--ports", "20000-21000", "--report", reportDir, "--profile", "fast"])
        #expect(result.status == 1, "high findings must exit 1: \(result.stderr)")
        let findings = try FindingsFile.load(reportDir + "/latest/findings.json")
        let unauthorized = findings.filter { $0.rule == "PW-UNAUTHORIZED-PORT" }.compactMap(\.port).sorted()
        #expect(unauthorized == [20123, 20500, 20999])
        // 20444 is declared but nothing listens: a stale-service candidate, never unauthorized.
        #expect(!unauthorized.contains(20444))
        #expect(findings.filter { $0.rule == "PW-UNAUTHORIZED-PORT" }.allSatisfy { $0.requirements.contains("1.2.5") })
        #expect(result.stdout.contains("PW-UNAUTHORIZED-PORT"))
        let html = try String(contentsOfFile: reportDir + "/latest/report.html", encoding: .utf8)
        #expect(html.contains("20123"))
    }

    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func nothingAtOrAboveTheThresholdExitsZeroAndEveryRunKeepsItsOwnDirectory() throws {
        let namespace = try NetworkNamespace(prefix: "audit-ok")
        defer { namespace.remove() }
        let listeners = try Listeners(in: namespace, address: "127.0.0.1", ports: [20080, 20443, 20444])
        defer { _ = listeners }
        let scratch = try ScratchDirectory()
        let policyPath = try scratch.write("policy.yaml", Self.policy)
        let result = try Binary.run(
            in: namespace,
            [
                "audit", "--policy", policyPath, "--ports", "20000-21000", "--report", scratch.path("r"), "--profile",
                "fast", "--no-service-detection",
            ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Nothing at or above high (exit 0). This is not a compliance verdict"))
        #expect(!result.stdout.contains("PASS"))
        let findings = try FindingsFile.load(scratch.path("r") + "/latest/findings.json")
        #expect(findings.filter { $0.rule == "PW-UNAUTHORIZED-PORT" }.isEmpty)
        let again = try Binary.run(
            in: namespace,
            [
                "audit", "--policy", policyPath, "--ports", "20000-21000", "--report", scratch.path("r"), "--profile",
                "fast", "--no-service-detection",
            ])
        #expect(again.status == 0)
        let runs = try FileManager.default.contentsOfDirectory(atPath: scratch.path("r")).filter { $0 != "latest" }
        #expect(runs.count == 2, "a second run must not overwrite the first: \(runs)")
        for run in runs {
            for file in [
                "findings.json", "report.html", "observations.jsonl", "port-states.jsonl", "allowed-services-1.2.5.csv",
            ] {
                #expect(FileManager.default.fileExists(atPath: scratch.path("r") + "/\(run)/\(file)"), "\(run)/\(file)")
            }
        }
        let states = try String(contentsOfFile: scratch.path("r") + "/latest/port-states.jsonl", encoding: .utf8)
        #expect(states.contains("\"state\":\"closed\""), "closed ports are kept as ranges")
        let diff = try Binary.run(["diff", scratch.path("r") + "/" + runs[0], scratch.path("r") + "/" + runs[1]])
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
        #expect(diff.stdout.hasPrefix("new 0, resolved 0, unchanged "))
    }
}

/// The parts of findings.json the end-to-end tests look at.
struct FindingsFile {
    struct Entry {
        let rule: String
        let port: Int?
        let severity: String
        let requirements: [String]
    }

    static func load(_ path: String) throws -> [Entry] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try JSONSerialization.jsonObject(with: data)
        let list: [[String: Any]]
        if let dictionary = object as? [String: Any], let findings = dictionary["findings"] as? [[String: Any]] {
            list = findings
        } else {
            list = try #require(object as? [[String: Any]], "findings.json holds neither an array nor {findings: []}")
        }
        return list.map { item in
            Entry(
                rule: item["rule"] as? String ?? "", port: item["port"] as? Int,
                severity: item["severity"] as? String ?? "",
                requirements: item["requirements"] as? [String] ?? [])
        }
    }
}
