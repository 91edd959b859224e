import Foundation
import PortwardenTestSupport
import Testing

/// `audit` from one zone into another over a veth pair: host discovery, the vantage zone and the
/// segmentation rule, with the built binary.
@Suite("portwarden audit across zones, end to end", .serialized, .needsNetworkNamespaces)
struct SegmentationEndToEndTests {
    static let policy = """
        version: 1
        organization: Segmentation test
        review:
          every: 6 months
          last: 2026-10-01
        zones:
          - id: cde
            kind: cde
            prefixes: [10.77.0.0/29]
            owner: payments
          - id: corp
            kind: out-of-scope
            prefixes: [10.77.0.8/29]
            owner: it
        services:
          - id: vault-db
            zone: cde
            hosts: [10.77.0.2]
            ports: [tcp/5432]
            allow-from: [cde]
            justification: Card vault database, reachable only from inside the CDE
            owner: payments
            approved-by: ciso
            approved-on: 2026-09-01
          - id: payment-api
            zone: cde
            hosts: [10.77.0.3]
            ports: [tcp/8443]
            allow-from: [cde, corp]
            edge-justification:
              corp: Order entry in corp calls the API; corp is therefore connected-to (scope change CHG-12)
            justification: Payment API called by corporate systems
            owner: payments
            approved-by: ciso
            approved-on: 2026-09-01
        """

    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func corpReachingTheVaultIsASegmentationBreach() throws {
        let scanner = try NetworkNamespace(prefix: "corp")
        defer { scanner.remove() }
        let target = try scanner.addPeer(
            prefix: "cde", localAddress: "10.77.0.9", peerAddress: "10.77.0.2", prefixLength: 24)
        defer { target.remove() }
        // A second CDE host on the same link: Linux answers ARP for any local address.
        try target.run("ip", "addr", "add", "10.77.0.3/32", "dev", "lo")
        let vault = try Listeners(in: target, address: "10.77.0.2", ports: [5432])
        let api = try Listeners(in: target, address: "10.77.0.3", ports: [8443])
        defer { _ = (vault, api) }
        let scratch = try ScratchDirectory()
        let policyPath = try scratch.write("policy.yaml", Self.policy)
        let result = try Binary.run(
            in: scanner,
            [
                "audit", "--policy", policyPath, "--zone", "cde", "--ports", "1-10000", "--report", scratch.path("r"),
                "--profile", "fast", "--no-service-detection",
            ])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("from zone corp"), "\(result.stderr)")
        #expect(result.stderr.contains("discovery: 2 up (2 icmp-echo), 6 down"), "\(result.stderr)")
        let findings = try FindingsFile.load(scratch.path("r") + "/latest/findings.json")
        let breaches = findings.filter { $0.rule == "PW-SOURCE-NOT-PERMITTED" }
        #expect(breaches.map(\.port) == [5432])
        #expect(breaches.allSatisfy { $0.severity == "critical" })
        #expect(breaches.allSatisfy { $0.requirements == ["1.2.5", "1.3.1", "12.5.2"] }, "by zone pair, never 11.4.5")
        #expect(findings.filter { $0.rule == "PW-UNAUTHORIZED-PORT" }.isEmpty)
        #expect(findings.filter { $0.rule == "PW-STALE-SERVICE" }.isEmpty)
    }
}
