import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// A real BIND 9 `named` in the target namespace of a ``VethTestNetwork``, primary for
/// ``VethTestNetwork/labZone`` with `allow-transfer { any; }` and `{ none; }`, probed on tcp/53 by
/// service detection from the scanner namespace over IPv4 and IPv6.
@Suite("DNS zone transfer against a real named", .serialized, .needsNetworkNamespaces)
struct DNSTransferDaemonTests {
    /// Detection of tcp/53 on `host` from the scanner namespace, asking for `zones`.
    static func detect(_ network: VethTestNetwork, host: String, zones: [String]) throws -> ServiceDetection {
        let target = try #require(IPAddress(host))
        let configuration = DetectionConfiguration(
            concurrency: 1, connectTimeout: .seconds(2), readTimeout: .seconds(2), bannerTimeout: .milliseconds(500),
            dnsTransferZones: zones)
        return try network.scanner.runOnThread {
            ServiceDetector(configuration: configuration).detect(host: target, port: 53)
        }
    }

    static func start(_ network: VethTestNetwork, transferToAnyone: Bool, host: String) throws {
        try network.startNamed(recursion: false, transferToAnyone: transferToAnyone)
        #expect(network.waitForListeners([53], tcp: true, on: host))
    }

    @Test(
        "allow-transfer any: the named zone's AXFR starts with its SOA, INS-DNS-AXFR confirmed (only when a zone is named)",
        .runnable(unless: VethTestNetwork.namedUnavailable), arguments: [false, true])
    func transferAllowed(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        let host = ipv6 ? VethTestNetwork.targetV6 : VethTestNetwork.targetV4
        try Self.start(network, transferToAnyone: true, host: host)
        // A zone the server does not serve first (NOTAUTH), then the lab's zone, each on its own connection.
        let asked = try Self.detect(network, host: host, zones: ["other.test", VethTestNetwork.labZone])
        #expect(asked.service == "domain")
        #expect(asked.method == .probed)
        let verdict = try #require(asked.handshakes["INS-DNS-AXFR"], "\(asked)")
        #expect(
            verdict.hasPrefix(
                "confirmed (AXFR of lab.test answered NOERROR, first record its SOA (serial \(VethTestNetwork.labZoneSerial))"
            ),
            "\(verdict)")
        #expect(asked.handshakes.count == 1)
        // Without a zone named, the server is identified and nothing is asked for.
        let unasked = try Self.detect(network, host: host, zones: [])
        #expect(unasked.service == "domain")
        #expect(unasked.method == .probed)
        #expect(unasked.handshakes.isEmpty)
    }

    @Test(
        "allow-transfer none: every named zone refused, INS-DNS-AXFR not-matched with the answers kept",
        .runnable(unless: VethTestNetwork.namedUnavailable), arguments: [false, true])
    func transferRefused(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        let host = ipv6 ? VethTestNetwork.targetV6 : VethTestNetwork.targetV4
        try Self.start(network, transferToAnyone: false, host: host)
        let refused = try Self.detect(network, host: host, zones: [VethTestNetwork.labZone, "other.test"])
        #expect(refused.service == "domain")
        #expect(
            refused.handshakes == ["INS-DNS-AXFR": "not-matched (AXFR refused to this address for every zone named)"])
        #expect(refused.details["dns.axfr"] == "lab.test: REFUSED; other.test: NOTAUTH")
    }
}
