import Foundation
import PortwardenTestSupport
import Testing

/// The DNS checks through the built binary, as a user runs them: `audit` and `scan | check` from the
/// scanner namespace of a ``VethTestNetwork`` against a real BIND 9 in its target namespace (named's
/// only forwarder is a dnsmasq in the same namespace, so nothing leaves the lab).
@Suite("DNS checks against a real named, end to end", .serialized)
struct DNSEndToEndTests {
    static var unavailable: String? { VethTestNetwork.namedUnavailable ?? Binary.unavailableReason }

    /// The scanner's address in a security zone; named's address in `kind`, with its DNS service
    /// declared and justified, so that the only finding a weakness can add is the insecure service.
    static func policy(dnsZoneKind kind: String) -> String {
        """
        version: 1
        organization: DNS end-to-end test
        review:
          every: 6 months
          last: 2026-11-01
        zones:
          - id: scanners
            kind: security
            prefixes: [\(VethTestNetwork.scannerV4)/32]
            owner: security-team
          - id: dns
            kind: \(kind)
            prefixes: [\(VethTestNetwork.targetV4)/32]
            owner: network-team
        services:
          - id: name-service
            zone: dns
            hosts: [\(VethTestNetwork.targetV4)]
            ports: [udp/53, tcp/53]
            allow-from: [scanners]
            justification: Name service for the lab's hosts
            owner: network-team
            approved-by: test-ciso
            approved-on: 2026-09-01
            ticket: CHG-53
        """
    }

    /// Findings of one `subject` in a findings document (`{"findings": [...]}`) or JSON lines.
    static func findings(_ text: String, subject: String) throws -> [[String: Any]] {
        let all: [[String: Any]]
        if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let findings = object["findings"] as? [[String: Any]]
        {
            all = findings
        } else {
            all = try text.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
        return all.filter { $0["subject"] as? String == subject }
    }

    /// `audit --udp --dns-recursion-name NAME` from the scanner namespace, auditing the DNS zone.
    static func audit(
        _ network: VethTestNetwork, kind: String, scratch: ScratchDirectory
    ) throws -> (
        result: Shell.Result, findings: String, observations: String
    ) {
        let policyPath = try scratch.write("policy-\(kind).yaml", policy(dnsZoneKind: kind))
        let report = scratch.path("report-\(kind)")
        let result = try Binary.run(
            in: network.scanner,
            [
                "audit", "--policy", policyPath, "--zone", "dns", "--ports", "53", "--udp", "--no-service-detection",
                "--dns-recursion-name", VethTestNetwork.elsewhereName, "--report", report, "--profile", "fast",
            ])
        let findings = (try? String(contentsOfFile: report + "/latest/findings.json", encoding: .utf8)) ?? ""
        let observations = (try? String(contentsOfFile: report + "/latest/observations.jsonl", encoding: .utf8)) ?? ""
        return (result, findings, observations)
    }

    @Test(
        "audit --dns-recursion-name: named with recursion yes in a CDE zone is INS-DNS-OPEN-RESOLVER, high, 2.2.5/1.2.6/2.2.4",
        .runnable(unless: DNSEndToEndTests.unavailable))
    func auditFindsTheOpenResolver() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        #expect(network.waitForListeners(try network.startNamed(recursion: true)))
        let scratch = try ScratchDirectory()
        let (result, text, _) = try Self.audit(network, kind: "cde", scratch: scratch)
        #expect(result.status == 1, "a high finding exits 1: \(result.stdout)\(result.stderr)")
        let found = try Self.findings(text, subject: "INS-DNS-OPEN-RESOLVER")
        #expect(found.count == 1, "\(text)")
        let finding = try #require(found.first)
        #expect(finding["rule"] as? String == "PW-INSECURE-SERVICE")
        #expect(finding["host"] as? String == VethTestNetwork.targetV4)
        #expect(finding["transport"] as? String == "udp")
        #expect(finding["port"] as? Int == 53)
        #expect(finding["severity"] as? String == "high", "CDE severity of the row")
        #expect(finding["requirements"] as? [String] == ["2.2.5", "1.2.6", "2.2.4"])
        #expect(!((finding["message"] as? String) ?? "").hasPrefix("Probable"))
        #expect(result.stdout.contains("INS-DNS-OPEN-RESOLVER"), "the summary names it: \(result.stdout)")
        #expect(
            result.stdout.contains(
                "named-value checks: open resolver: recursive A query for www.elsewhere.test on udp/53; "
                    + "not tested (no value named): SNMP communities, SNMPv3 users, zone transfer"),
            "\(result.stdout)")
    }

    @Test(
        "audit --dns-recursion-name: named with recursion no raises no open-resolver finding",
        .runnable(unless: DNSEndToEndTests.unavailable))
    func auditWithRecursionOffFindsNone() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        #expect(network.waitForListeners(try network.startNamed(recursion: false)))
        let scratch = try ScratchDirectory()
        let (result, text, observations) = try Self.audit(network, kind: "cde", scratch: scratch)
        #expect(result.status == 0, "declared, justified and not resolving: \(result.stdout)\(result.stderr)")
        #expect(!text.isEmpty, "the audit wrote its findings")
        let dns = observations.split(separator: "\n").filter { $0.contains(#""transport":"udp","port":53,"#) }
        #expect(dns.count == 1 && dns[0].contains(#""service":"domain""#), "named answered the UDP probe: \(dns)")
        #expect(!observations.contains("INS-DNS-OPEN-RESOLVER"), "\(observations)")
        #expect(try Self.findings(text, subject: "INS-DNS-OPEN-RESOLVER").isEmpty, "\(text)")
    }

    /// `scan --udp --dns-recursion-name` writes the confirmed handshake into the observation line,
    /// and `check` judges that line: in an out-of-scope zone the finding carries no requirement.
    @Test(
        "scan --udp --dns-recursion-name, then check: the observation carries the handshake; out of scope it is low, no ids",
        .runnable(unless: DNSEndToEndTests.unavailable))
    func scanThenCheck() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        #expect(network.waitForListeners(try network.startNamed(recursion: true)))
        let scratch = try ScratchDirectory()
        let observations = scratch.path("dns.jsonl")
        let scanned = try Binary.run(
            in: network.scanner,
            [
                "scan", VethTestNetwork.targetV4, "--udp", "-p", "53", "--dns-recursion-name",
                VethTestNetwork.elsewhereName, "--format", "json", "-o", observations,
            ])
        #expect(scanned.status == 0, "\(scanned.stdout)\(scanned.stderr)")
        let line = try String(contentsOfFile: observations, encoding: .utf8)
        #expect(line.contains(#""handshakes":{"INS-DNS-OPEN-RESOLVER":"confirmed"}"#), "\(line)")
        let policyPath = try scratch.write("policy.yaml", Self.policy(dnsZoneKind: "out-of-scope"))
        let checked = try Binary.run(
            ["check", "--policy", policyPath, "--observations", observations, "--format", "json"])
        let found = try Self.findings(checked.stdout, subject: "INS-DNS-OPEN-RESOLVER")
        #expect(found.count == 1, "\(checked.stdout)\(checked.stderr)")
        #expect(found.first?["severity"] as? String == "low", "out of scope: hygiene only")
        #expect(found.first?["requirements"] as? [String] == [], "out of scope: no PCI claim")
    }

    /// A check that cannot run must not look like one that ran and found nothing. Run in an empty
    /// namespace: should the refusal ever fail, nothing could leave it.
    @Test(
        "--dns-recursion-name, --snmp-community or --snmp-v3-user without --udp, or a bad value, is a usage error",
        .runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func recursionNameNeedsUDPAndAHostName() throws {
        let namespace = try NetworkNamespace(prefix: "dnsopt")
        defer { namespace.remove() }
        let tcpOnly = try Binary.run(
            in: namespace, ["scan", "10.99.0.2", "-p", "53", "--dns-recursion-name", "www.example.test"])
        #expect(tcpOnly.status == 2, "\(tcpOnly.stderr)")
        #expect(tcpOnly.stderr.contains("--dns-recursion-name"), "\(tcpOnly.stderr)")
        let badName = try Binary.run(
            in: namespace, ["scan", "10.99.0.2", "--udp", "-p", "53", "--dns-recursion-name", "a..b"])
        #expect(badName.status == 2, "\(badName.stderr)")
        #expect(badName.stderr.contains("a..b"), "\(badName.stderr)")
        let snmpTCP = try Binary.run(in: namespace, ["scan", "10.99.0.2", "-p", "161", "--snmp-community", "lab"])
        #expect(snmpTCP.status == 2, "\(snmpTCP.stderr)")
        #expect(snmpTCP.stderr.contains("--snmp-community"), "\(snmpTCP.stderr)")
        let userTCP = try Binary.run(in: namespace, ["scan", "10.99.0.2", "-p", "161", "--snmp-v3-user", "pwlab"])
        #expect(userTCP.status == 2, "\(userTCP.stderr)")
        #expect(userTCP.stderr.contains("--snmp-v3-user"), "\(userTCP.stderr)")
        let longUser = try Binary.run(
            in: namespace,
            ["scan", "10.99.0.2", "--udp", "-p", "161", "--snmp-v3-user", String(repeating: "u", count: 33)])
        #expect(longUser.status == 2, "\(longUser.stderr)")
        #expect(longUser.stderr.contains("--snmp-v3-user"), "\(longUser.stderr)")
    }
}
