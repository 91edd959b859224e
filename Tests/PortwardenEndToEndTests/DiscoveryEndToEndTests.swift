import Foundation
import PortwardenCore
import PortwardenTestSupport
import Testing

/// The built binary's default `audit` against a lab of hosts that answer only ping, only one
/// uncommon port, only ICMP errors, or nothing; and from a namespace with no route at all.
@Suite(
    "audit: host discovery and reachability, end to end", .serialized,
    .enabled(
        if: NetworkNamespace.unavailableReason == nil && Binary.unavailableReason == nil,
        "needs root, ip, nft and the built binary"))
struct DiscoveryEndToEndTests {
    static let policy = """
        version: 1
        organization: Discovery lab
        review:
          every: 6 months
          last: 2026-10-01
        zones:
          - id: cde
            kind: cde
            prefixes: [10.88.0.2/32, 10.88.0.3/32, 10.88.0.4/32, 10.88.0.5/32]
            owner: test-team
        """

    /// .2 answers only ping, .3 only tcp/31337, .4 only with ICMP admin-prohibited, .5 does not exist.
    static let ruleset = """
        table inet lab {
          chain input {
            type filter hook input priority 0; policy accept;
            ip daddr 10.88.0.2 meta l4proto icmp accept
            ip daddr 10.88.0.2 drop
            ip daddr 10.88.0.3 tcp dport 31337 accept
            ip daddr 10.88.0.3 drop
            ip daddr 10.88.0.4 reject with icmp type admin-prohibited
          }
        }
        """

    @Test func defaultAuditFindsEveryLiveHostAndSaysWhyTheRestIsDown() throws {
        let scanner = try NetworkNamespace(prefix: "disc")
        defer { scanner.remove() }
        let lab = try scanner.addPeer(
            prefix: "disc-lab", localAddress: "10.88.0.1", peerAddress: "10.88.0.2", prefixLength: 24)
        defer { lab.remove() }
        for address in ["10.88.0.3", "10.88.0.4"] {
            let device = "$(ip -o -4 addr show | awk '/10.88.0.2\\//{print $2}')"
            _ = try lab.run(["sh", "-c", "ip addr add \(address)/24 dev \(device)"])
        }
        _ = try lab.run(["nft", "-f", "-"], input: Self.ruleset)
        let listener = try Listeners(in: lab, address: "10.88.0.3", ports: [31337])
        defer { _ = listener }
        let scratch = try ScratchDirectory()
        let policyPath = try scratch.write("policy.yaml", Self.policy)
        let reportDir = scratch.path("report")
        let result = try Binary.run(
            in: scanner, ["audit", "--policy", policyPath, "--report", reportDir, "--profile", "fast"])
        #expect(result.status == 1, "the undeclared tcp/31337 is a high finding: \(result.stderr)")
        let findings = try FindingsFile.load(reportDir + "/latest/findings.json")
        #expect(findings.contains { $0.rule == "PW-UNAUTHORIZED-PORT" && $0.port == 31337 }, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: reportDir + "/latest/scan-record.json"))
        let record = try JSONDecoder().decode(ScanRecord.self, from: data)
        let byHost = Dictionary(uniqueKeysWithValues: record.hosts.map { ($0.host.description, $0) })
        #expect(byHost["10.88.0.2"]?.status == .up)
        #expect(byHost["10.88.0.2"]?.method == .icmpEcho)
        #expect(byHost["10.88.0.3"]?.status == .up, "only ARP shows .3: \(byHost["10.88.0.3"]?.reason ?? "")")
        #expect(byHost["10.88.0.3"]?.count(.tcp, .open) == 1)
        #expect(byHost["10.88.0.3"]?.probedPorts(.tcp) == 65535)
        #expect(byHost["10.88.0.4"]?.status == .up)
        #expect(byHost["10.88.0.4"]?.reason.contains("from the host itself") == true)
        #expect(byHost["10.88.0.4"]?.count(.tcp, .filtered) == 65535)
        #expect(byHost["10.88.0.5"]?.status == .down)
        #expect(byHost["10.88.0.5"]?.reason.contains("no answer") == true)
        #expect(byHost["10.88.0.5"]?.ranges.isEmpty == true)
        #expect(record.sourceAddresses == [IPAddress("10.88.0.1")!])
        #expect(result.stderr.contains("10.88.0.5 down"))
    }

    @Test func anAuditWithNoRouteToItsTargetsExitsThree() throws {
        let isolated = try NetworkNamespace(prefix: "noroute")
        defer { isolated.remove() }
        let scratch = try ScratchDirectory()
        let policyPath = try scratch.write("policy.yaml", Self.policy)
        let reportDir = scratch.path("report")
        let result = try Binary.run(in: isolated, ["audit", "--policy", policyPath, "--report", reportDir])
        #expect(result.status == 3, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("reached none of its 4 targets"))
        #expect(result.stderr.contains("ENETUNREACH"))
        #expect(!result.stdout.contains("PASS"))
        let data = try Data(contentsOf: URL(fileURLWithPath: reportDir + "/scan-record.json"))
        let record = try JSONDecoder().decode(ScanRecord.self, from: data)
        #expect(record.hosts.allSatisfy { $0.status == .unreachable && $0.ranges.isEmpty })
    }

    @Test func aScanOfAnUnroutableTargetIsAnErrorNotFiltered() throws {
        let isolated = try NetworkNamespace(prefix: "noroute-scan")
        defer { isolated.remove() }
        let result = try Binary.run(in: isolated, ["scan", "10.88.0.2", "-p", "22,80", "--format", "json"])
        #expect(result.status == 3, "\(result.stdout)\n\(result.stderr)")
        #expect(!result.stdout.contains("filtered"))
        #expect(result.stderr.contains("no route"))
    }
}
