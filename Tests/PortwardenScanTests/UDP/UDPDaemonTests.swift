import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// Real Debian daemons (dnsmasq, snmpd), each started by the test inside its target namespace with
/// a temporary configuration, never as a system service, and stopped afterwards.
@Suite("UDP probes against real daemons", .serialized, .needsNetworkNamespaces)
struct UDPDaemonTests {
    static let community = "pw-lab-7f3a"

    /// Why this suite cannot run here, or `nil`.
    static func unavailable(_ binary: String) -> String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        if Shell.which(binary) == nil { return "needs \(binary) (apt-get install -y \(binary))" }
        return nil
    }

    static func scan(
        _ network: VethTestNetwork, host: String, ports: [UInt16], communities: [String] = [],
        recursionName: String? = nil
    )
        throws -> [UInt16: Observation]
    {
        let target = try #require(IPAddress(host))
        let configuration = UDPScanConfiguration(
            initialTimeout: .milliseconds(500), maxRetries: 1, snmpCommunities: communities,
            dnsRecursionName: recursionName)
        let result = try network.scanner.runOnThread {
            try UDPScanner(configuration: configuration).run(hosts: [target], ports: ports)
        }
        return Dictionary(uniqueKeysWithValues: result.observations.map { ($0.port, $0) })
    }

    @Test(
        "dnsmasq: DNS answers version.bind, its TFTP server answers an RRQ (INS-TFTP)",
        .runnable(unless: UDPDaemonTests.unavailable("dnsmasq")), arguments: [false, true])
    func dnsmasq(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        let root = network.directory.appendingPathComponent("tftp")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try network.spawnDaemon([
            "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
            "--bind-interfaces", "--listen-address=\(VethTestNetwork.targetV4)",
            "--listen-address=\(VethTestNetwork.targetV6)", "--port=53", "--enable-tftp", "--tftp-root=\(root.path)",
            "--user=root", "--group=root", "--pid-file=\(network.directory.path)/dnsmasq.pid",
            "--log-facility=\(network.directory.path)/dnsmasq.log",
        ])
        #expect(network.waitForListeners([53, 69]))
        let host = ipv6 ? VethTestNetwork.targetV6 : VethTestNetwork.targetV4
        let seen = try Self.scan(network, host: host, ports: [53, 69, 123])
        let dns = try #require(seen[53])
        #expect(dns.state == .open)
        #expect(dns.reason == "udp-response")
        #expect(dns.service == "domain")
        let tftp = try #require(seen[69])
        #expect(tftp.state == .open)
        #expect(tftp.service == "tftp")
        #expect(tftp.handshakes == ["INS-TFTP": "confirmed"])
        let ntp = try #require(seen[123])
        #expect(ntp.state == .closed)
        #expect(ntp.service == nil)
    }

    /// Starts snmpd in the target with a read-only community.
    static func startSNMPD(_ network: VethTestNetwork, community: String = UDPDaemonTests.community) throws {
        try network.startSNMPD("rocommunity \(community) default\nrocommunity6 \(community) default")
    }

    @Test(
        "snmpd: the configured community confirms INS-SNMPV12, a wrong one does not",
        .runnable(unless: UDPDaemonTests.unavailable("snmpd")), arguments: [false, true])
    func snmpd(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try Self.startSNMPD(network)
        #expect(network.waitForListeners([161]))
        let host = ipv6 ? VethTestNetwork.targetV6 : VethTestNetwork.targetV4

        let right = try #require(try Self.scan(network, host: host, ports: [161], communities: [Self.community])[161])
        #expect(right.state == .open)
        #expect(right.service == "snmp")
        #expect(right.handshakes == ["INS-SNMPV12": "confirmed"])

        let wrong = try #require(try Self.scan(network, host: host, ports: [161], communities: ["not-it"])[161])
        #expect(wrong.state == .open)  // the v3 discovery Report still answers
        #expect(wrong.service == "snmp")
        #expect(wrong.handshakes?["INS-SNMPV12"] == nil)

        let none = try #require(try Self.scan(network, host: host, ports: [161])[161])
        #expect(none.state == .open)
        #expect(none.handshakes == nil)
    }

    @Test(
        "snmpd answering public confirms INS-SNMP-DEFAULT-COMMUNITY; one with another community does not",
        .runnable(unless: UDPDaemonTests.unavailable("snmpd")))
    func snmpdDefaultCommunity() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try Self.startSNMPD(network, community: "public")
        #expect(network.waitForListeners([161]))
        let host = VethTestNetwork.targetV4
        let answered = try #require(try Self.scan(network, host: host, ports: [161], communities: ["public"])[161])
        #expect(answered.handshakes == ["INS-SNMPV12": "confirmed", "INS-SNMP-DEFAULT-COMMUNITY": "confirmed"])
        // A non-default community that the agent accepts is v1/v2c, not a default credential.
        let other = try VethTestNetwork()
        defer { other.remove() }
        try Self.startSNMPD(other)
        #expect(other.waitForListeners([161]))
        let configured = try #require(
            try Self.scan(other, host: host, ports: [161], communities: ["public", Self.community])[161])
        #expect(configured.handshakes == ["INS-SNMPV12": "confirmed"])
        let refused = try #require(try Self.scan(other, host: host, ports: [161], communities: ["public"])[161])
        #expect(refused.state == .open)  // the v3 discovery Report still answers
        #expect(refused.handshakes == nil)
    }
}
