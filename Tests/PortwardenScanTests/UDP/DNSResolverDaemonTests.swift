import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// A real BIND 9 `named` in the target namespace of a ``UDPTestNetwork``, with recursion on and
/// off. The name it is asked to resolve lies outside its zones and is served by the lab itself: a
/// dnsmasq on port 5300 of the same target holds its only record and is named's sole forwarder
/// (`forward only`), so no query leaves the lab.
@Suite("Open DNS resolver against a real named", .serialized, .needsNetworkNamespaces)
struct DNSResolverDaemonTests {
    static let elsewhere = "www.elsewhere.test"

    static func unavailable() -> String? {
        UDPDaemonTests.unavailable("named") ?? UDPDaemonTests.unavailable("dnsmasq")
    }

    /// Starts the lab's upstream (dnsmasq on 5300) and named with `recursion yes` or `no`.
    static func startNamed(_ network: UDPTestNetwork, recursion: Bool) throws {
        let directory = network.directory.path
        try network.spawnDaemon([
            "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
            "--bind-interfaces", "--listen-address=\(UDPTestNetwork.targetV4)", "--port=5300",
            "--address=/\(elsewhere)/10.99.0.77", "--user=root", "--group=root",
            "--pid-file=\(directory)/upstream.pid",
        ])
        let config = try network.write(
            "named.conf",
            """
            options {
                directory "\(directory)";
                pid-file "\(directory)/named.pid";
                listen-on port 53 { \(UDPTestNetwork.targetV4); };
                listen-on-v6 { none; };
                recursion \(recursion ? "yes" : "no");
                allow-recursion { any; };
                forwarders { \(UDPTestNetwork.targetV4) port 5300; };
                forward only;
                dnssec-validation no;
            };
            controls { };
            """)
        try network.spawnDaemon(["named", "-g", "-c", config])
    }

    @Test(
        "named with recursion yes resolves a name outside its zones: INS-DNS-OPEN-RESOLVER (only when a name is given)",
        .runnable(unless: DNSResolverDaemonTests.unavailable()))
    func openResolver() throws {
        let network = try UDPTestNetwork()
        defer { network.remove() }
        try Self.startNamed(network, recursion: true)
        #expect(network.waitForListeners([53, 5300]))
        let host = UDPTestNetwork.targetV4
        let asked = try #require(
            try UDPDaemonTests.scan(network, host: host, ports: [53], recursionName: Self.elsewhere)[53])
        #expect(asked.state == .open)
        #expect(asked.service == "domain")
        #expect(asked.handshakes == ["INS-DNS-OPEN-RESOLVER": "confirmed"])
        // Without a configured name nothing is asked to be resolved.
        let unasked = try #require(try UDPDaemonTests.scan(network, host: host, ports: [53])[53])
        #expect(unasked.service == "domain")
        #expect(unasked.handshakes == nil)
    }

    @Test(
        "named with recursion no answers but does not resolve for the scanner",
        .runnable(unless: DNSResolverDaemonTests.unavailable()))
    func closedResolver() throws {
        let network = try UDPTestNetwork()
        defer { network.remove() }
        try Self.startNamed(network, recursion: false)
        #expect(network.waitForListeners([53, 5300]))
        let refused = try #require(
            try UDPDaemonTests.scan(network, host: UDPTestNetwork.targetV4, ports: [53], recursionName: Self.elsewhere)[
                53])
        #expect(refused.state == .open)
        #expect(refused.service == "domain")
        #expect(refused.handshakes == nil)
    }
}
