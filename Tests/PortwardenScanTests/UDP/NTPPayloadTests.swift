import PortwardenCore
import PortwardenScan
import Testing

/// The NTP mode-6 and mode-7 requests checked byte by byte, and their recognisers fed replies laid
/// out as RFC 9327 §2.1 (mode 6) and the reference implementation's `ntp_request.h` (mode 7)
/// define them. The real-daemon side is `NTPDaemonTests`.
@Suite("NTP control and private queries")
struct NTPPayloadTests {
    /// What the recogniser made of a reply, `service handshake` (`-` for none), or `nil`.
    static func read(_ reply: [UInt8], cookie: UInt16? = nil) -> String? {
        UDPPayloads.recognise(port: 123, reply: reply, cookie: cookie).map {
            "\($0.service) \($0.handshakes.first ?? "-")"
        }
    }

    @Test("port 123 gets a mode-3, a mode-6 READSTAT and a mode-7 monlist request, each one small datagram")
    func requests() throws {
        let requests = UDPPayloads.payloads(for: 123, communities: [], cookie: 0x0A0B)
        #expect(requests.count == 3)
        #expect(requests[0].count == 48 && requests[0][0] == 0x23)
        // LI 0, VN 2, mode 6; R/E/M clear, opcode 1; sequence = cookie; status, assoc, offset, count 0.
        #expect(requests[1] == [0x16, 0x01, 0x0A, 0x0B, 0, 0, 0, 0, 0, 0, 0, 0])
        // Response bit clear, VN 2, mode 7; no auth, sequence 0; IMPL_XNTPD; REQ_MON_GETLIST_1; no items.
        #expect(Array(requests[2].prefix(8)) == [0x17, 0x00, 0x03, 42, 0, 0, 0, 0])
        #expect(requests[2].count == 48 && requests[2][8...].allSatisfy { $0 == 0 })
        // None of our own requests reads as an answer.
        for request in requests { #expect(UDPPayloads.recognise(port: 123, reply: request, cookie: 0x0A0B) == nil) }
    }

    /// ntpsec 1.2.2's answer to a READSTAT in a namespace lab like `NTPDaemonTests`' (received
    /// once by hand, its sequence number replaced by this test's): LI 3, VN 2, mode 6; R set,
    /// opcode 1; our sequence; status 0xC016; no associations.
    static let readStatusReply: [UInt8] = [0xD6, 0x81, 0x0A, 0x0B, 0xC0, 0x16, 0, 0, 0, 0, 0, 0]

    @Test(
        "a READSTAT response with our sequence confirms INS-NTP-MODE6; an error, another sequence or a request do not")
    func controlReply() {
        #expect(
            Self.read(Self.readStatusReply, cookie: 0x0A0B) == "ntp INS-NTP-MODE6")
        #expect(UDPPayloads.recognise(port: 123, reply: Self.readStatusReply, cookie: 0x0A0C) == nil)
        var error = Self.readStatusReply
        error[1] |= 0x40
        #expect(Self.read(error, cookie: 0x0A0B) == "ntp -")
        var association = Self.readStatusReply + [0x12, 0x34, 0x96, 0x1A]
        association[11] = 4
        #expect(UDPPayloads.recognise(port: 123, reply: association, cookie: 0x0A0B)?.handshakes == ["INS-NTP-MODE6"])
        association[11] = 8  // count past the datagram
        #expect(UDPPayloads.recognise(port: 123, reply: association, cookie: 0x0A0B) == nil)
        #expect(UDPPayloads.recognise(port: 123, reply: Array(Self.readStatusReply.prefix(11))) == nil)
    }

    /// A monlist answer built from `ntp_request.h` (no Debian daemon answers mode 7 any more):
    /// response bit, VN 2, mode 7; IMPL_XNTPD; REQ_MON_GETLIST_1; one item of 72 bytes
    /// (`info_monitor_1`).
    static let monitorListReply: [UInt8] =
        [0x97, 0x00, 0x03, 42, 0x00, 0x01, 0x00, 0x48] + [UInt8](repeating: 7, count: 72)

    @Test("a monlist response without error confirms INS-NTP-MODE7 (transcript); an error code or a short list do not")
    func privateReply() {
        #expect(
            Self.read(Self.monitorListReply, cookie: 0x0A0B) == "ntp INS-NTP-MODE7")
        let refused: [UInt8] = [0x97, 0x00, 0x03, 42, 0x40, 0x00, 0x00, 0x00]  // INFO_ERR_NODATA, no items
        #expect(Self.read(refused) == "ntp -")
        #expect(UDPPayloads.recognise(port: 123, reply: Array(Self.monitorListReply.prefix(79))) == nil)
        var otherRequest = Self.monitorListReply
        otherRequest[3] = 0  // REQ_PEER_LIST
        #expect(UDPPayloads.recognise(port: 123, reply: otherRequest) == nil)
    }
}
