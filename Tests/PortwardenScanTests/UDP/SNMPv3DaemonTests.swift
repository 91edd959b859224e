import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// INS-SNMPV3-NOAUTH against Debian's snmpd, started by the test inside its target namespace with
/// a temporary configuration and state folder (never as a system service), over IPv4 and IPv6.
@Suite("SNMPv3 noAuthNoPriv against snmpd", .serialized)
struct SNMPv3DaemonTests {
    static let user = "pwlab"

    /// Scans udp/161 with `pwlab` as the only configured user.
    static func scan(_ network: VethTestNetwork, ipv6: Bool) throws -> Observation {
        let target = try #require(IPAddress(ipv6 ? VethTestNetwork.targetV6 : VethTestNetwork.targetV4))
        let configuration = UDPScanConfiguration(
            initialTimeout: .milliseconds(500), maxRetries: 1, snmpV3Users: [Self.user])
        let result = try network.scanner.runOnThread {
            try UDPScanner(configuration: configuration).run(hosts: [target], ports: [161])
        }
        return try #require(result.observations.first)
    }

    @Test(
        "createUser pwlab + rouser pwlab noauth: confirmed, the detail names the user, the engine ID is kept",
        .runnable(unless: VethTestNetwork.snmpdUnavailable), arguments: [false, true])
    func noAuthUser(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.startSNMPD("createUser \(Self.user)\nrouser \(Self.user) noauth")
        #expect(network.waitForListeners([161]))
        let observation = try Self.scan(network, ipv6: ipv6)
        #expect(observation.state == .open)
        #expect(observation.service == "snmp")
        #expect(
            observation.handshakes == [
                "INS-SNMPV3-NOAUTH": "confirmed (user pwlab read sysDescr.0 without authentication)"
            ])
        let engineID = try #require(observation.details?["snmp.engine-id"])
        #expect(engineID.count >= 10 && engineID.allSatisfy(\.isHexDigit), "\(engineID)")
    }

    @Test(
        "createUser pwlab SHA + rouser pwlab auth: not-matched, the agent refuses the user without authentication",
        .runnable(unless: VethTestNetwork.snmpdUnavailable), arguments: [false, true])
    func authUser(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.startSNMPD("createUser \(Self.user) SHA pw-lab-passphrase-7f3a\nrouser \(Self.user) auth")
        #expect(network.waitForListeners([161]))
        let observation = try Self.scan(network, ipv6: ipv6)
        #expect(observation.state == .open)
        let verdict = try #require(observation.handshakes?["INS-SNMPV3-NOAUTH"])
        // net-snmp's USM accepts the level (the user has an auth key, which it need not use);
        // its access control then refuses it with authorizationError rather than a Report.
        #expect(verdict == "not-matched (user pwlab refused without authentication: authorizationError 16)")
        #expect(observation.details?["snmp.engine-id"] != nil)
    }

    @Test(
        "no such user: no verdict (an unknown user proves nothing about others), the answer kept as a detail",
        .runnable(unless: VethTestNetwork.snmpdUnavailable), arguments: [false, true])
    func unknownUser(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.startSNMPD("createUser other\nrouser other noauth")
        #expect(network.waitForListeners([161]))
        let observation = try Self.scan(network, ipv6: ipv6)
        #expect(observation.state == .open)
        #expect(observation.handshakes == nil)
        #expect(observation.details?["snmp.v3-users"] == "user pwlab unknown to the agent")
    }
}
