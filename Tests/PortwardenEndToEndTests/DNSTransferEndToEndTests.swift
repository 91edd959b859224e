import Foundation
import PortwardenTestSupport
import Testing

/// `--dns-transfer-zone` through the built binary: `audit` (service detection on tcp/53) from the
/// scanner namespace of a ``VethTestNetwork`` against a real BIND 9 primary in its target namespace.
@Suite("DNS zone transfer against a real named, end to end", .serialized)
struct DNSTransferEndToEndTests {
    /// `audit --dns-transfer-zone lab.test` of the DNS zone (a CDE zone) over tcp/53.
    static func audit(
        _ network: VethTestNetwork, scratch: ScratchDirectory
    ) throws -> (
        result: Shell.Result, findings: String
    ) {
        let policyPath = try scratch.write("policy.yaml", DNSEndToEndTests.policy(dnsZoneKind: "cde"))
        let report = scratch.path("report")
        let result = try Binary.run(
            in: network.scanner,
            [
                "audit", "--policy", policyPath, "--zone", "dns", "--ports", "53", "--dns-transfer-zone",
                VethTestNetwork.labZone, "--report", report, "--profile", "fast",
            ])
        let findings = (try? String(contentsOfFile: report + "/latest/findings.json", encoding: .utf8)) ?? ""
        return (result, findings)
    }

    @Test(
        "audit --dns-transfer-zone: allow-transfer any in a CDE zone is INS-DNS-AXFR, high, 2.2.5/1.2.6/2.2.4",
        .runnable(unless: DNSEndToEndTests.unavailable))
    func auditFindsTheTransfer() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.startNamed(recursion: false, transferToAnyone: true)
        #expect(network.waitForListeners([53], tcp: true))
        let scratch = try ScratchDirectory()
        let (result, text) = try Self.audit(network, scratch: scratch)
        #expect(result.status == 1, "a high finding exits 1: \(result.stdout)\(result.stderr)")
        let found = try DNSEndToEndTests.findings(text, subject: "INS-DNS-AXFR")
        #expect(found.count == 1, "\(text)")
        let finding = try #require(found.first)
        #expect(finding["rule"] as? String == "PW-INSECURE-SERVICE")
        #expect(finding["transport"] as? String == "tcp")
        #expect(finding["port"] as? Int == 53)
        #expect(finding["severity"] as? String == "high")
        #expect(finding["requirements"] as? [String] == ["2.2.5", "1.2.6", "2.2.4"])
        #expect(text.contains("first record its SOA"), "the evidence says what the server answered: \(text)")
        #expect(
            result.stdout.contains(
                "named-value checks: zone transfer: AXFR of lab.test on tcp/53; "
                    + "not tested (no value named): SNMP communities, SNMPv3 users, open resolver"),
            "the scope says what was asked and what was not: \(result.stdout)")
    }

    @Test(
        "audit --dns-transfer-zone: allow-transfer none raises no transfer finding",
        .runnable(unless: DNSEndToEndTests.unavailable))
    func auditWithTransfersRefusedFindsNone() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.startNamed(recursion: false, transferToAnyone: false)
        #expect(network.waitForListeners([53], tcp: true))
        let scratch = try ScratchDirectory()
        let (result, text) = try Self.audit(network, scratch: scratch)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!text.isEmpty, "the audit wrote its findings")
        #expect(try DNSEndToEndTests.findings(text, subject: "INS-DNS-AXFR").isEmpty, "\(text)")
    }

    /// `scan --detect` text output says what the handshake proved.
    @Test("scan --detect --dns-transfer-zone shows the verdict", .runnable(unless: DNSEndToEndTests.unavailable))
    func scanTextShowsTheVerdict() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.startNamed(recursion: false, transferToAnyone: true)
        #expect(network.waitForListeners([53], tcp: true))
        let result = try Binary.run(
            in: network.scanner,
            ["scan", VethTestNetwork.targetV4, "-p", "53", "--detect", "--dns-transfer-zone", VethTestNetwork.labZone])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("INS-DNS-AXFR: confirmed (AXFR of lab.test"), "\(result.stdout)")
    }

    /// A check that cannot run must not look like one that ran and found nothing. Run in an empty
    /// namespace: should the refusal ever fail, nothing could leave it.
    @Test(
        "--dns-transfer-zone without detection, without tcp/53, or not a domain name, is a usage error",
        .runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func transferZoneNeedsDetectionAndPort53() throws {
        let namespace = try NetworkNamespace(prefix: "dnsopt")
        defer { namespace.remove() }
        for arguments in [
            ["scan", "10.99.0.2", "-p", "53", "--dns-transfer-zone", "lab.test"],
            ["scan", "10.99.0.2", "--udp", "-p", "53", "--detect", "--dns-transfer-zone", "lab.test"],
            ["scan", "10.99.0.2", "-p", "80", "--detect", "--dns-transfer-zone", "lab.test"],
            ["scan", "10.99.0.2", "-p", "53", "--detect", "--dns-transfer-zone", "a..b"],
        ] {
            let result = try Binary.run(in: namespace, arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("--dns-transfer-zone"), "\(arguments): \(result.stderr)")
        }
    }
}
