import Foundation
import PortwardenTestSupport
import Testing

/// The host view end to end: `inventory --format json` output fed to `check` as it is, judged by
/// the host-view rules (undeclared listener, wider bind scope, unexpected owner).
@Suite("inventory → check, end to end", .serialized, .needsNetworkNamespaces)
struct HostViewEndToEndTests {
    static let policy = """
        version: 1
        organization: Host view test
        review:
          every: 6 months
          last: 2026-11-01
        zones:
          - id: app
            kind: cde
            prefixes: [127.0.0.1/32]
            owner: payments
        services:
          - id: metrics
            zone: app
            ports: [tcp/21090]
            bind: loopback
            justification: Local metrics endpoint scraped by the agent on this host
            owner: payments
            approved-by: ciso
            approved-on: 2026-09-01
          - id: api
            zone: app
            ports: [tcp/21443]
            process: /usr/sbin/nginx
            justification: Payment API front end
            owner: payments
            approved-by: ciso
            approved-on: 2026-09-01
        """

    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func inventoryObservationsAreJudgedByTheHostViewRules() throws {
        let namespace = try NetworkNamespace(prefix: "hostview")
        defer { namespace.remove() }
        // metrics listens on every address although the policy says loopback only; api is owned by
        // python, not nginx; 21777 is declared nowhere.
        let wide = try Listeners(in: namespace, address: "0.0.0.0", ports: [21090])
        let local = try Listeners(in: namespace, address: "127.0.0.1", ports: [21443, 21777])
        defer { _ = (wide, local) }
        let scratch = try ScratchDirectory()
        let policyPath = try scratch.write("policy.yaml", Self.policy)
        let inventory = try Binary.run(
            in: namespace, ["inventory", "--format", "json", "-o", scratch.path("host.jsonl")])
        #expect(inventory.status == 0, "\(inventory.stderr)")
        let check = try Binary.run([
            "check", "--policy", policyPath, "--observations", scratch.path("host.jsonl"), "--format", "json",
            "--fail-on", "critical",
        ])
        #expect(check.status == 0, "nothing here is critical: \(check.stdout)\(check.stderr)")
        let findings = try check.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        func ports(_ rule: String) -> [Int] {
            findings.filter { $0["rule"] as? String == rule }.compactMap { $0["port"] as? Int }.sorted()
        }
        #expect(ports("PW-UNAUTHORIZED-PORT") == [21777])
        #expect(ports("PW-BIND-SCOPE-WIDER") == [21090])
        #expect(ports("PW-UNEXPECTED-PROCESS") == [21443])
        let unauthorized = try #require(findings.first { $0["rule"] as? String == "PW-UNAUTHORIZED-PORT" })
        #expect((unauthorized["requirements"] as? [String])?.contains("2.2.4") == true)
        #expect(unauthorized["severity"] as? String == "high", "a host-view listener in the CDE is high")
    }
}
