import PortwardenCore
import Testing

@testable import PortwardenScan

/// PPTP against Debian's pptpd (`DetectionLab+VPN.swift`): a Start-Control-Connection-Request, and
/// its reply, on tcp/1723; on the second address a server that answers it with HTTP.
@Suite("PPTP in a network namespace")
struct VPNLabTests {
    @Test func pptpdAnswersTheControlRequest() throws {
        let detection = try BrokerLabTests.detection(1723, onSecondAddress: false)
        #expect(detection.service == "pptp")
        #expect(detection.method == .probed)
        let verdict = try #require(detection.handshakes["INS-PPTP"])
        #expect(
            verdict.hasPrefix(
                "confirmed (Start-Control-Connection-Reply 1 (successful channel establishment), protocol 1.0"),
            "\(verdict)")
        // pptpd names itself in the reply's vendor field.
        #expect(detection.details["pptp.vendor"] != nil, "\(detection.details)")
    }

    /// Another protocol on 1723 answers the request with bytes that are no reply: PPTP is
    /// `not-matched` there, and the port is named after what it is.
    @Test func anotherServiceOn1723IsNotMatched() throws {
        let detection = try BrokerLabTests.detection(1723, onSecondAddress: true)
        #expect(detection.service != "pptp")
        #expect(detection.handshakes["INS-PPTP"] == "not-matched", "\(detection.handshakes)")
    }

    /// The request is sent to 1723 alone: no other lab server gets a PPTP verdict.
    @Test func otherServicesRecordNoPPTPVerdict() throws {
        try BrokerLabTests.expectOnlyPort(1723, hasVerdictOf: "INS-PPTP", service: "pptp")
    }
}

@Suite("PPTP control message bytes")
struct PPTPControlTests {
    /// pptpd 1.4.0's reply to the probe's request, as captured in the lab.
    static let pptpdReply: [UInt8] =
        [0x00, 0x9C, 0x00, 0x01, 0x1A, 0x2B, 0x3C, 0x4D, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00]
        + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]
        + Array("local".utf8) + [UInt8](repeating: 0, count: 59) + Array("linux".utf8)
        + [UInt8](repeating: 0, count: 59)

    @Test func requestIsAWellFormedStartControlConnectionRequest() {
        let request = PPTPControl.request
        #expect(request.count == 156)
        #expect(Array(request[0..<10]) == [0x00, 0x9C, 0x00, 0x01, 0x1A, 0x2B, 0x3C, 0x4D, 0x00, 0x01])
        #expect(Array(request[12..<14]) == [0x01, 0x00])
        #expect(
            Array(request[28..<(28 + PPTPControl.probeHostName.utf8.count)]) == Array(PPTPControl.probeHostName.utf8))
        let stop = PPTPControl.stopRequest
        #expect(stop.count == 16 && stop[1] == 16 && stop[9] == 3)
    }

    @Test func pptpdsReplyIsRead() {
        let expected = PPTPControl.Reply(
            versionMajor: 1, versionMinor: 0, resultCode: 1, firmwareRevision: 1, hostName: "local", vendor: "linux")
        #expect(PPTPControl.parse(Self.pptpdReply) == .reply(expected))
        #expect(
            PPTPControl.describe(expected)
                == "Start-Control-Connection-Reply 1 (successful channel establishment), protocol 1.0, firmware 1, "
                + "host \"local\", vendor \"linux\"")
        // Every proper prefix is incomplete: nothing is decided before the whole reply is there.
        for length in 0..<Self.pptpdReply.count {
            #expect(PPTPControl.parse(Array(Self.pptpdReply.prefix(length))) == .incomplete, "\(length)")
        }
    }

    @Test(arguments: [
        (Array("HTTP/1.0 400 Bad Request\r\n".utf8), PPTPControl.notPPTP),
        ([0x00, 0x9C, 0x00, 0x02], .notPPTP),  // message type 2 (management)
        ([0x00, 0x9C, 0x00, 0x01, 0x1A, 0x2B, 0x3C, 0x4E], .notPPTP),  // wrong magic cookie
        ([0x00, 0x9C, 0x00, 0x01, 0x1A, 0x2B, 0x3C, 0x4D, 0x00, 0x01], .notPPTP),  // a request, not a reply
        ([0x00, 0x10], .notPPTP),  // a 16-byte message is no Start-Control-Connection-Reply
    ])
    func notAReply(bytes: [UInt8], expected: PPTPControl) {
        #expect(PPTPControl.parse(bytes) == expected)
    }

    @Test func unknownResultCodeIsNotAReply() {
        var reply = Self.pptpdReply
        reply[14] = 0
        #expect(PPTPControl.parse(reply) == .notPPTP)
        reply[14] = 4
        guard case .reply(let read) = PPTPControl.parse(reply) else {
            Issue.record("result code 4 is a reply")
            return
        }
        #expect(read.resultCode == 4)
    }
}
