import PortwardenCore
import Testing

@testable import PortwardenScan

/// The SNMPv3 second round trip without I/O: the follow-up built from a discovery Report, the
/// recogniser of its answers, and the verdict they make (Sources/PortwardenScan/README.md, "SNMPv3
/// noAuthNoPriv").
@Suite("SNMPv3 noAuthNoPriv follow-up")
struct SNMPv3PayloadTests {
    static let engineID: [UInt8] = [0x80, 0x00, 0x1F, 0x88, 0x80, 0x6B, 0x1D, 0x6E, 0x41, 0x3C, 0x2E, 0x36, 0x67]
    static let configuration = UDPScanConfiguration(snmpV3Users: ["pwlab", "ops"])

    /// A plaintext v3 message as an agent sends it: msgID, USM parameters, a PDU with one varbind.
    static func agentMessage(
        messageID: Int, pduTag: UInt8, errorStatus: Int = 0, oid: [UInt32], value: [UInt8] = [0x41, 0x01, 0x01],
        engineID: [UInt8] = SNMPv3PayloadTests.engineID, user: String = "", boots: Int = 3, time: Int = 1234
    ) -> [UInt8] {
        let header = UDPBER.sequence(
            UDPBER.integer(messageID), UDPBER.integer(1500), UDPBER.octetString([0x00]), UDPBER.integer(3))
        let usm = UDPBER.sequence(
            UDPBER.octetString(engineID), UDPBER.integer(boots), UDPBER.integer(time),
            UDPBER.octetString(Array(user.utf8)), UDPBER.octetString([]), UDPBER.octetString([]))
        let varbinds = UDPBER.sequence(UDPBER.sequence(UDPBER.oid(oid), value))
        let pdu = UDPBER.tlv(
            pduTag, UDPBER.integer(messageID) + UDPBER.integer(errorStatus) + UDPBER.integer(0) + varbinds)
        let scoped = UDPBER.sequence(UDPBER.octetString(engineID), UDPBER.octetString([]), pdu)
        return UDPBER.sequence(UDPBER.integer(3), header, UDPBER.octetString(usm), scoped)
    }

    static let discoveryReport = agentMessage(
        messageID: 0x0105, pduTag: UDPPayloads.snmpReport, oid: UDPPayloads.usmStatsUnknownEngineIDs)

    @Test("a discovery Report yields one noAuthNoPriv GetRequest sysDescr.0 per user, on the agent's engine")
    func followUpFromReport() throws {
        let next = UDPPayloads.followUp(
            port: 161, reply: Self.discoveryReport, cookie: 0x0105, configuration: Self.configuration)
        #expect(next.datagrams.count == 2)
        #expect(next.details == ["snmp.engine-id": "80001f88806b1d6e413c2e3667"])
        // SEQUENCE { 3, { msgID 0x010501, 65507, flags 0x04 (reportable, no auth, no priv), USM },
        //   OCTET STRING { { engine, boots 3, time 1234, "pwlab", "", "" } },
        //   { contextEngineID engine, "", GetRequest { 0x010501, 0, 0, { { sysDescr.0, NULL } } } } }
        let header: [UInt8] = [
            0x30, 0x10, 0x02, 0x03, 0x01, 0x05, 0x01, 0x02, 0x03, 0x00, 0xFF, 0xE3, 0x04, 0x01, 0x04, 0x02, 0x01, 0x03,
        ]
        let usm: [UInt8] =
            [0x04, 0x23, 0x30, 0x21, 0x04, 0x0D] + Self.engineID + [0x02, 0x01, 0x03, 0x02, 0x02, 0x04, 0xD2]
            + [0x04, 0x05] + Array("pwlab".utf8) + [0x04, 0x00, 0x04, 0x00]
        let varbinds: [UInt8] = [0x30, 0x0E, 0x30, 0x0C, 0x06, 0x08, 0x2B, 6, 1, 2, 1, 1, 1, 0, 0x05, 0x00]
        let pdu: [UInt8] = [0xA0, 0x1B, 0x02, 0x03, 0x01, 0x05, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00] + varbinds
        let scoped: [UInt8] = [0x30, 0x2E, 0x04, 0x0D] + Self.engineID + [0x04, 0x00] + pdu
        let body: [UInt8] = [0x02, 0x01, 0x03] + header + usm + scoped
        #expect(next.datagrams[0] == [0x30, UInt8(body.count)] + body)
        let second = try #require(SNMPv3Message(next.datagrams[1]))
        #expect(second.messageID == 0x0105_02)
        #expect(second.requestID == 0x0105_02)
        #expect(second.userName == Array("ops".utf8))
        #expect(second.engineID == Self.engineID)
        #expect(second.pduTag == UDPPayloads.snmpGetRequest)
    }

    @Test("no follow-up without users, for another Report, another cookie or port, or a malformed engine ID")
    func noFollowUp() {
        func followUp(
            _ reply: [UInt8], cookie: UInt16 = 0x0105, port: UInt16 = 161, users: [String] = ["pwlab"]
        )
            -> [[UInt8]]
        {
            UDPPayloads.followUp(
                port: port, reply: reply, cookie: cookie,
                configuration: UDPScanConfiguration(snmpV3Users: users)
            ).datagrams
        }
        #expect(followUp(Self.discoveryReport).count == 1)
        #expect(followUp(Self.discoveryReport, users: []).isEmpty)  // a user name is never guessed
        #expect(followUp(Self.discoveryReport, cookie: 0x0106).isEmpty)
        #expect(followUp(Self.discoveryReport, port: 162).isEmpty)
        let unknownUser = Self.agentMessage(
            messageID: 0x0105, pduTag: UDPPayloads.snmpReport, oid: UDPPayloads.usmStatsUnknownUserNames)
        #expect(followUp(unknownUser).isEmpty)
        let response = Self.agentMessage(
            messageID: 0x0105, pduTag: UDPPayloads.snmpResponse, oid: UDPPayloads.usmStatsUnknownEngineIDs)
        #expect(followUp(response).isEmpty)
        let shortEngine = Self.agentMessage(
            messageID: 0x0105, pduTag: UDPPayloads.snmpReport, oid: UDPPayloads.usmStatsUnknownEngineIDs,
            engineID: [1, 2, 3, 4])
        #expect(followUp(shortEngine).isEmpty)
        // Our own discovery request is not a Report.
        #expect(followUp(UDPPayloads.snmpV3Discovery(cookie: 0x0105)).isEmpty)
        for length in 0..<Self.discoveryReport.count {
            #expect(followUp(Array(Self.discoveryReport.prefix(length))).isEmpty, "prefix \(length)")
        }
    }

    @Test(
        "answers: a Response grants, authorizationError or usmStatsUnsupportedSecLevels refuses, an unknown user decides nothing"
    )
    func recogniseAnswers() {
        func answer(_ reply: [UInt8], cookie: UInt16 = 0x0105) -> (index: Int, answer: UDPPayloads.FollowUpAnswer)? {
            UDPPayloads.recogniseFollowUp(port: 161, reply: reply, cookie: cookie, configuration: Self.configuration)
        }
        let sysDescr = UDPBER.octetString(Array("portwarden-lab".utf8))
        let read = Self.agentMessage(
            messageID: 0x0105_01, pduTag: UDPPayloads.snmpResponse, oid: UDPPayloads.sysDescr, value: sysDescr,
            user: "pwlab")
        #expect(answer(read)?.index == 0)
        #expect(answer(read)?.answer == .granted("user pwlab read sysDescr.0 without authentication"))
        #expect(answer(read, cookie: 0x0106) == nil)
        let notInView = Self.agentMessage(
            messageID: 0x0105_02, pduTag: UDPPayloads.snmpResponse, oid: UDPPayloads.sysDescr, value: [0x80, 0x00])
        #expect(
            answer(notInView)?.answer
                == .granted("user ops was answered without authentication, sysDescr.0 not in its view"))
        #expect(answer(notInView)?.index == 1)
        let denied = Self.agentMessage(
            messageID: 0x0105_01, pduTag: UDPPayloads.snmpResponse, errorStatus: 16, oid: UDPPayloads.sysDescr,
            value: UDPBER.null)
        #expect(
            answer(denied)?.answer
                == .refused("user pwlab refused without authentication: authorizationError 16"))
        let unsupported = Self.agentMessage(
            messageID: 0x0105_01, pduTag: UDPPayloads.snmpReport, oid: UDPPayloads.usmStatsUnsupportedSecLevels)
        #expect(
            answer(unsupported)?.answer
                == .refused("user pwlab refused without authentication: usmStatsUnsupportedSecLevels"))
        let unknown = Self.agentMessage(
            messageID: 0x0105_02, pduTag: UDPPayloads.snmpReport, oid: UDPPayloads.usmStatsUnknownUserNames)
        #expect(answer(unknown)?.answer == .inconclusive("user ops unknown to the agent"))
        // The discovery Report (msgID = cookie), a third user nobody asked for, our own request.
        #expect(answer(Self.discoveryReport) == nil)
        let third = Self.agentMessage(
            messageID: 0x0105_03, pduTag: UDPPayloads.snmpResponse, oid: UDPPayloads.sysDescr, value: sysDescr)
        #expect(answer(third) == nil)
        let request = UDPPayloads.followUp(
            port: 161, reply: Self.discoveryReport, cookie: 0x0105, configuration: Self.configuration
        ).datagrams[0]
        #expect(answer(request) == nil)
        for length in 0..<read.count {
            #expect(answer(Array(read.prefix(length))) == nil, "prefix \(length)")
        }
    }

    @Test("verdict: any user served without authentication confirms; refused only is not-matched; else none")
    func verdicts() {
        let granted = UDPPayloads.FollowUpAnswer.granted("user ops read sysDescr.0 without authentication")
        let refused = UDPPayloads.FollowUpAnswer.refused("user pwlab refused without authentication: x")
        let unknown = UDPPayloads.FollowUpAnswer.inconclusive("user nobody unknown to the agent")
        let both = UDPPayloads.followUpVerdicts(port: 161, answers: [1: granted, 0: refused])
        #expect(both.handshakes == ["INS-SNMPV3-NOAUTH": "confirmed (user ops read sysDescr.0 without authentication)"])
        #expect(
            both.details == [
                "snmp.v3-users":
                    "user pwlab refused without authentication: x; user ops read sysDescr.0 without authentication"
            ])
        let refusedOnly = UDPPayloads.followUpVerdicts(port: 161, answers: [0: refused, 1: unknown])
        #expect(
            refusedOnly.handshakes == [
                "INS-SNMPV3-NOAUTH": "not-matched (user pwlab refused without authentication: x)"
            ]
        )
        let unknownOnly = UDPPayloads.followUpVerdicts(port: 161, answers: [0: unknown])
        #expect(unknownOnly.handshakes.isEmpty)
        #expect(unknownOnly.details == ["snmp.v3-users": "user nobody unknown to the agent"])
        #expect(UDPPayloads.followUpVerdicts(port: 161, answers: [:]) == ([:], [:]))
    }

    @Test("user names: none by default, 1 to 32 bytes, at most 255")
    func configuration() {
        #expect(UDPScanConfiguration().snmpV3Users.isEmpty)
        #expect(throws: ScanError.self) { try UDPScanConfiguration(snmpV3Users: [""]).validate() }
        #expect(throws: ScanError.self) {
            try UDPScanConfiguration(snmpV3Users: [String(repeating: "u", count: 33)]).validate()
        }
        #expect(throws: ScanError.self) {
            try UDPScanConfiguration(snmpV3Users: (0..<256).map { "u\($0)" }).validate()
        }
        #expect(throws: Never.self) {
            try UDPScanConfiguration(snmpV3Users: [String(repeating: "u", count: 32), "pwlab"]).validate()
        }
    }
}
