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

    /// A segment-test's probes are kept as a scan: the port history answers with the test's vantage.
    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func segmentTestProbesAreInThePortHistory() throws {
        let scanner = try NetworkNamespace(prefix: "sgcorp")
        defer { scanner.remove() }
        let target = try scanner.addPeer(
            prefix: "sgcde", localAddress: "10.77.0.9", peerAddress: "10.77.0.2", prefixLength: 24)
        defer { target.remove() }
        let listeners = try Listeners(in: target, address: "10.77.0.2", ports: [2323, 5432], asNobody: true)
        defer { _ = listeners }
        let scratch = try ScratchDirectory()
        let policy = try scratch.write(
            "policy.yaml",
            """
            version: 1
            organization: Segmentation test
            zones:
              - id: cde
                kind: cde
                prefixes: [10.77.0.2/32]
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
            """)
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let test = try Binary.run(
            in: scanner,
            [
                "segment-test", "--policy", policy, "--from-zone", "corp", "--ports", "2300-2400,5432",
                "--udp-ports", "none", "--profile", "fast", "--evidence", scratch.path("corp.json"),
            ] + db)
        #expect(test.status == 1, "tcp/2323 from corp is a breach: \(test.stdout)\(test.stderr)")
        #expect(test.stderr.contains("segmentation test 1 with its probes as scan "), "\(test.stderr)")
        let history = try Binary.run(["history", "tcp/2323", "--host", "10.77.0.2"] + db)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("tcp/2323 on 10.77.0.2 last open "), "\(history.stdout)")
        #expect(history.stdout.contains(" from vantage corp"), "\(history.stdout)")
        let closed = try Binary.run(["history", "tcp/2324", "--host", "10.77.0.2"] + db)
        #expect(closed.stdout.contains("never seen open"), "\(closed.stdout)")
        #expect(closed.stdout.contains("tcp/2324-2400 closed from "), "\(closed.stdout)")
        #expect(closed.stdout.contains("current, vantage corp"), "\(closed.stdout)")
        let scan = try Shell.run([
            "sqlite3", scratch.path("store/portwarden.sqlite"),
            "SELECT kind, source_address, vantage, ports, instr(parameters, 'segmentation_test=1') > 0, targets "
                + "FROM scans",
        ]).stdout
        #expect(scan == "segment-test|10.77.0.9|corp|tcp 2300-2400,5432|1|10.77.0.2/32\n", "\(scan)")
        let verified = try Binary.run(["log", "verify"] + db)
        #expect(verified.stdout.hasPrefix("ok:"), "\(verified.stdout)")
    }
}
