import Foundation
import PortwardenTestSupport
import Testing

/// `scan --udp --snmp-v3-user` through the built binary, from the scanner namespace of a
/// ``VethTestNetwork`` against Debian's snmpd in its target namespace, then `check` on the lines.
@Suite("SNMPv3 noAuthNoPriv against snmpd, end to end", .serialized)
struct SNMPv3EndToEndTests {
    static var unavailable: String? { VethTestNetwork.snmpdUnavailable ?? Binary.unavailableReason }

    /// The scanner's address in a security zone, snmpd's in a CDE zone with SNMP declared.
    static let policy = """
        version: 1
        organization: SNMPv3 end-to-end test
        review:
          every: 6 months
          last: 2026-11-01
        zones:
          - id: scanners
            kind: security
            prefixes: [\(VethTestNetwork.scannerV4)/32]
            owner: security-team
          - id: monitoring
            kind: cde
            prefixes: [\(VethTestNetwork.targetV4)/32]
            owner: network-team
        services:
          - id: snmp-agent
            zone: monitoring
            hosts: [\(VethTestNetwork.targetV4)]
            ports: [udp/161]
            allow-from: [scanners]
            justification: Monitoring of the lab's hosts
            owner: network-team
            approved-by: test-ciso
            approved-on: 2026-09-01
            ticket: CHG-161
        """

    @Test(
        "scan --udp --snmp-v3-user, then check: a noauth user is INS-SNMPV3-NOAUTH, high, 2.2.5/1.2.6/2.2.4/8.3.1",
        .runnable(unless: SNMPv3EndToEndTests.unavailable))
    func scanThenCheck() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.startSNMPD("createUser pwlab\nrouser pwlab noauth")
        #expect(network.waitForListeners([161]))
        let scratch = try ScratchDirectory()
        let observations = scratch.path("snmp.jsonl")
        let scanned = try Binary.run(
            in: network.scanner,
            [
                "scan", VethTestNetwork.targetV4, "--udp", "-p", "161", "--snmp-v3-user", "pwlab", "--format", "json",
                "-o", observations,
            ])
        #expect(scanned.status == 0, "\(scanned.stdout)\(scanned.stderr)")
        let line = try String(contentsOfFile: observations, encoding: .utf8)
        #expect(
            line.contains(
                #""handshakes":{"INS-SNMPV3-NOAUTH":"confirmed (user pwlab read sysDescr.0 without authentication)"}"#),
            "\(line)")
        #expect(line.contains(#""snmp.engine-id":""#), "\(line)")
        let policyPath = try scratch.write("policy.yaml", Self.policy)
        let checked = try Binary.run(
            ["check", "--policy", policyPath, "--observations", observations, "--format", "json"])
        let findings = try DNSEndToEndTests.findings(checked.stdout, subject: "INS-SNMPV3-NOAUTH")
        #expect(findings.count == 1, "\(checked.stdout)\(checked.stderr)")
        #expect(findings.first?["rule"] as? String == "PW-INSECURE-SERVICE")
        #expect(findings.first?["severity"] as? String == "high")
        #expect(findings.first?["requirements"] as? [String] == ["2.2.5", "1.2.6", "2.2.4", "8.3.1"])
    }
}
