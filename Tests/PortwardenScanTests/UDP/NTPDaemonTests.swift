import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// A real `ntpd` (Debian's ntpsec) started by the test inside the target namespace of a
/// ``VethTestNetwork``, once answering control queries from the scanner's network and once with `noquery` for it.
///
/// ntpd is started without `CAP_SYS_TIME` (`setpriv --bounding-set=-sys_time`): the clock is not
/// namespaced, and a lab daemon must never adjust the machine's time. It has no `server` lines, so
/// it never tries to reach a time source. ntpsec has no mode 7 at all, so the same daemon is the
/// real negative case of `INS-NTP-MODE7`; a monlist answer exists here only as a transcript built
/// from `ntp_request.h` (`UDPPayloadTests`), since Debian no longer ships an ntpd that answers it.
@Suite("NTP mode 6 and mode 7 against a real ntpd", .serialized, .needsNetworkNamespaces)
struct NTPDaemonTests {
    static func unavailable() -> String? {
        UDPDaemonTests.unavailable("ntpd") ?? UDPDaemonTests.unavailable("setpriv")
    }

    /// Starts ntpd in the target with the lab's networks restricted by `flags`. ntpsec keeps
    /// control queries from addresses that match only `restrict default`, so the positive case
    /// opens them to the scanner's whole network, the misconfiguration the rule looks for.
    static func startNTPD(_ network: VethTestNetwork, restrict flags: String) throws {
        let config = try network.write(
            "ntp.conf",
            """
            restrict default kod nomodify noquery
            restrict 10.99.0.0 mask 255.255.255.0 nomodify \(flags)
            restrict fd00:99:: mask ffff:ffff:ffff:ffff:: nomodify \(flags)
            """)
        try network.spawnDaemon(["setpriv", "--bounding-set=-sys_time", "ntpd", "-n", "-c", config])
    }

    @Test(
        "ntpd without noquery answers READSTAT (INS-NTP-MODE6) and no monlist (ntpsec has no mode 7)",
        .runnable(unless: NTPDaemonTests.unavailable()), arguments: [false, true])
    func queryable(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try Self.startNTPD(network, restrict: "")
        #expect(network.waitForListeners([123]))
        let host = ipv6 ? VethTestNetwork.targetV6 : VethTestNetwork.targetV4
        let ntp = try #require(try UDPDaemonTests.scan(network, host: host, ports: [123])[123])
        #expect(ntp.state == .open)
        #expect(ntp.service == "ntp")
        #expect(ntp.handshakes == ["INS-NTP-MODE6": "confirmed"])
    }

    @Test(
        "ntpd with noquery for the scanner's network serves time but confirms neither mode 6 nor mode 7",
        .runnable(unless: NTPDaemonTests.unavailable()))
    func noquery() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try Self.startNTPD(network, restrict: "noquery")
        #expect(network.waitForListeners([123]))
        let ntp = try #require(try UDPDaemonTests.scan(network, host: VethTestNetwork.targetV4, ports: [123])[123])
        #expect(ntp.state == .open)
        #expect(ntp.service == "ntp")
        #expect(ntp.handshakes == nil)
    }
}
