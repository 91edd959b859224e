import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// The engine's second round trip against a scripted agent in a target namespace the test
/// creates: the agent answers discovery with two identical Reports, then answers the user's
/// GetRequest (`answer`) or never (`silent`), and logs every datagram it receives.
@Suite("UDP engine: SNMPv3 follow-up against a scripted agent", .serialized)
struct SNMPv3FollowUpEngineTests {
    static func unavailable() -> String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        if Shell.which("python3") == nil { return "needs python3" }
        return nil
    }

    /// A python3 SNMP agent on udp/161 (both families) that logs `discovery` or `user` per datagram.
    static func agent(mode: String, log: String) -> [String] {
        let script = """
            import socket, sys
            ENGINE = bytes.fromhex("80001f88806b1d6e413c2e3667")
            def rd(b, i):
                n = b[i + 1]; j = i + 2
                if n & 0x80:
                    k = n & 0x7F; n = int.from_bytes(b[j:j + k], "big"); j += k
                return j, j + n
            def tlv(t, c):
                return bytes([t]) + (bytes([len(c)]) if len(c) < 128 else bytes([0x81, len(c)])) + c
            def integer(v):
                return tlv(2, v.to_bytes(4, "big", signed=True))
            def message(msgid, user, tag, oid, value):
                header = tlv(0x30, integer(msgid) + integer(1500) + tlv(4, b"\\x00") + integer(3))
                usm = tlv(0x30, tlv(4, ENGINE) + integer(1) + integer(100) + tlv(4, user) + tlv(4, b"") + tlv(4, b""))
                pdu = tlv(tag, integer(msgid) + integer(0) + integer(0) + tlv(0x30, tlv(0x30, tlv(6, oid) + value)))
                return tlv(0x30, integer(3) + header + tlv(4, usm) + tlv(0x30, tlv(4, ENGINE) + tlv(4, b"") + pdu))
            UNKNOWN_ENGINE = bytes.fromhex("2b060106030f01010400")
            SYSDESCR = bytes.fromhex("2b06010201010100")
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(("::", 161))
            while True:
                data, peer = s.recvfrom(65535)
                i, _ = rd(data, 0)
                _, i = rd(data, i)
                h, he = rd(data, i)
                m, me = rd(data, h)
                msgid = int.from_bytes(data[m:me], "big")
                p, _ = rd(data, he)
                u, _ = rd(data, p)
                e, ee = rd(data, u)
                with open(sys.argv[2], "a") as f:
                    f.write(("discovery" if e == ee else "user") + "\\n")
                if e == ee:
                    for _ in range(2):
                        s.sendto(message(msgid, b"", 0xA8, UNKNOWN_ENGINE, b"\\x41\\x01\\x01"), peer)
                elif sys.argv[1] == "answer":
                    s.sendto(message(msgid, b"pwlab", 0xA2, SYSDESCR, tlv(4, b"scripted-agent")), peer)
            """
        return ["python3", "-c", script, mode, log]
    }

    /// Scans udp/161 of the target with `users` and returns its observation, the scan's
    /// counters and the agent's log of what it received.
    static func scan(mode: String, users: [String]) throws -> (Observation, ScanStatistics, [String]) {
        let network = try VethTestNetwork()
        defer { network.remove() }
        let log = network.directory.appendingPathComponent("agent.log").path
        try network.spawn(Self.agent(mode: mode, log: log))
        #expect(network.waitForListeners([161]))
        let target = try #require(IPAddress(VethTestNetwork.targetV4))
        let configuration = UDPScanConfiguration(
            initialTimeout: .milliseconds(500), maxRetries: 1, snmpV3Users: users)
        let result = try network.scanner.runOnThread {
            try UDPScanner(configuration: configuration).run(hosts: [target], ports: [161])
        }
        // Every datagram was received before the scan ended; the agent may still be writing the
        // line of the last one.
        let expected = result.statistics.datagramsSent
        var lines: [String] = []
        for _ in 0..<50 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            lines = text.split(separator: "\n").map(String.init)
            if lines.count >= expected { break }
            usleep(20_000)
        }
        return (try #require(result.observations.first), result.statistics, lines)
    }

    @Test(
        "a duplicate Report sends the follow-up once; its answer confirms INS-SNMPV3-NOAUTH with the engine ID",
        .runnable(unless: SNMPv3FollowUpEngineTests.unavailable()))
    func followUpSentOnce() throws {
        let (observation, statistics, received) = try Self.scan(mode: "answer", users: ["pwlab"])
        #expect(received == ["discovery", "user"])
        #expect(statistics.datagramsSent == 2)
        #expect(statistics.retries == 0)
        #expect(observation.state == .open)
        #expect(observation.service == "snmp")
        #expect(
            observation.handshakes == [
                "INS-SNMPV3-NOAUTH": "confirmed (user pwlab read sysDescr.0 without authentication)"
            ])
        #expect(observation.details?["snmp.engine-id"] == "80001f88806b1d6e413c2e3667")
    }

    @Test(
        "a lost follow-up is resent once, never rediscovered, and leaves the port open with no verdict",
        .runnable(unless: SNMPv3FollowUpEngineTests.unavailable()))
    func lostFollowUp() throws {
        let (observation, statistics, received) = try Self.scan(mode: "silent", users: ["pwlab"])
        #expect(received == ["discovery", "user", "user"])
        #expect(statistics.datagramsSent == 3)
        #expect(statistics.retries == 0)
        #expect(observation.state == .open)
        #expect(observation.reason == "udp-response")
        #expect(observation.handshakes == nil)
        #expect(observation.details == ["snmp.engine-id": "80001f88806b1d6e413c2e3667"])
    }

    @Test(
        "without a configured user nothing follows the discovery Report",
        .runnable(unless: SNMPv3FollowUpEngineTests.unavailable()))
    func noUserNoFollowUp() throws {
        let (observation, statistics, received) = try Self.scan(mode: "answer", users: [])
        #expect(received == ["discovery"])
        #expect(statistics.datagramsSent == 1)
        #expect(observation.state == .open)
        #expect(observation.handshakes == nil)
        #expect(observation.details == nil)
    }
}
