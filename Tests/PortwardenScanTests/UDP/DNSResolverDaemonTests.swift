import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// A real BIND 9 `named` in the target namespace of a ``VethTestNetwork``, with recursion on and
/// off (``VethTestNetwork/startNamed(recursion:transferToAnyone:)``). The name it is asked to
/// resolve lies outside its zones and is served by the lab itself: a dnsmasq on port 5300 of the
/// same target holds its only record and is named's sole forwarder, so no query leaves the lab.
@Suite("Open DNS resolver against a real named", .serialized, .needsNetworkNamespaces)
struct DNSResolverDaemonTests {
    @Test(
        "named with recursion yes resolves a name outside its zones: INS-DNS-OPEN-RESOLVER (only when a name is given)",
        .runnable(unless: VethTestNetwork.namedUnavailable))
    func openResolver() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        #expect(network.waitForListeners(try network.startNamed(recursion: true)))
        let host = VethTestNetwork.targetV4
        let asked = try #require(
            try UDPDaemonTests.scan(network, host: host, ports: [53], recursionName: VethTestNetwork.elsewhereName)[53])
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
        .runnable(unless: VethTestNetwork.namedUnavailable))
    func closedResolver() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        #expect(network.waitForListeners(try network.startNamed(recursion: false)))
        let refused = try #require(
            try UDPDaemonTests.scan(
                network, host: VethTestNetwork.targetV4, ports: [53], recursionName: VethTestNetwork.elsewhereName)[53])
        #expect(refused.state == .open)
        #expect(refused.service == "domain")
        #expect(refused.handshakes == nil)
    }
}
