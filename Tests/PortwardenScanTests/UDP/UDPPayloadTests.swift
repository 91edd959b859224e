import Foundation
import PortwardenCore
import PortwardenScan
import Testing

/// Each request's bytes checked field by field against its specification, and each recogniser fed
/// real-shaped replies and garbage.
@Suite("UDP protocol payloads")
struct UDPPayloadTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("DNS: version.bind CHAOS TXT with the cookie as id, no recursion (RFC 1035 §4.1)")
    func dnsRequest() throws {
        let query = try #require(UDPPayloads.payload(for: 53, communities: [], cookie: 0xBEEF))
        #expect(Array(query[0..<12]) == [0xBE, 0xEF, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0])
        #expect(Array(query[12...]) == [7] + Self.bytes("version") + [4] + Self.bytes("bind") + [0, 0, 16, 0, 3])
    }

    @Test("DNS recursion: only with a configured name, an IN A query with RD set and the cookie as id")
    func dnsRecursiveRequest() {
        #expect(UDPPayloads.payloads(for: 53, communities: [], cookie: 0xBEEF).count == 1)
        let requests = UDPPayloads.payloads(for: 53, communities: [], cookie: 0xBEEF, recursionName: "www.b.test.")
        #expect(requests.count == 2)
        #expect(Array(requests[1][0..<12]) == [0xBE, 0xEF, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0])
        #expect(
            Array(requests[1][12...]) == [3] + Self.bytes("www") + [1, 98, 4] + Self.bytes("test") + [0, 0, 1, 0, 1])
        for bad in ["", ".", "a..b", String(repeating: "x", count: 64) + ".test"] {
            #expect(UDPPayloads.payloads(for: 53, communities: [], cookie: 1, recursionName: bad).count == 1, "\(bad)")
        }
    }

    @Test("DNS recogniser: RA set, AA clear, NOERROR and an answer to IN A is an open resolver; REFUSED or AA is not")
    func dnsRecursiveReply() {
        let question: [UInt8] = [3] + Self.bytes("www") + [1, 98, 4] + Self.bytes("test") + [0, 0, 1, 0, 1]
        let answer: [UInt8] = [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 99, 0, 77]
        let resolved: [UInt8] = [0xBE, 0xEF, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0] + question + answer
        #expect(
            UDPPayloads.recognise(port: 53, reply: resolved, cookie: 0xBEEF)?.handshakes == ["INS-DNS-OPEN-RESOLVER"])
        var authoritative = resolved
        authoritative[2] |= 0x04
        #expect(UDPPayloads.recognise(port: 53, reply: authoritative, cookie: 0xBEEF)?.handshakes == [])
        let refused: [UInt8] = [0xBE, 0xEF, 0x81, 0x05, 0, 1, 0, 0, 0, 0, 0, 0] + question
        #expect(UDPPayloads.recognise(port: 53, reply: refused, cookie: 0xBEEF)?.handshakes == [])
        var noRecursion = resolved
        noRecursion[3] = 0x00
        #expect(UDPPayloads.recognise(port: 53, reply: noRecursion, cookie: 0xBEEF)?.handshakes == [])
    }

    @Test("DNS recogniser: a response with our id; not a query, another id, or a stub")
    func dnsReply() {
        var reply: [UInt8] = [0xBE, 0xEF, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]
        reply += [7] + Self.bytes("version") + [4] + Self.bytes("bind") + [0, 0, 16, 0, 3]
        #expect(UDPPayloads.recognise(port: 53, reply: reply, cookie: 0xBEEF)?.service == "domain")
        #expect(UDPPayloads.recognise(port: 53, reply: reply, cookie: 0x1234) == nil)
        var query = reply
        query[2] = 0x00
        #expect(UDPPayloads.recognise(port: 53, reply: query) == nil)
        #expect(UDPPayloads.recognise(port: 53, reply: Array(reply.prefix(11))) == nil)
    }

    @Test("NTP: 48 bytes, LI 0 VN 4 mode 3, the cookie in the transmit timestamp (RFC 5905 §7.3)")
    func ntpRequest() throws {
        let request = try #require(UDPPayloads.payload(for: 123, communities: [], cookie: 0x0102))
        #expect(request.count == 48)
        #expect(request[0] == 0b00_100_011)
        #expect(request[1..<40].allSatisfy { $0 == 0 })
        #expect(Array(request[40..<48]) == [0xE0, 0, 0, 0, 0x01, 0x02, 0xFE, 0xFD])
    }

    @Test("NTP recogniser: mode 4 echoing our transmit timestamp as origin")
    func ntpReply() throws {
        let request = try #require(UDPPayloads.payload(for: 123, communities: [], cookie: 0x0102))
        var reply = [UInt8](repeating: 0, count: 48)
        reply[0] = 0x24  // VN 4, mode 4
        reply.replaceSubrange(24..<32, with: request[40..<48])
        #expect(UDPPayloads.recognise(port: 123, reply: reply, cookie: 0x0102)?.service == "ntp")
        #expect(UDPPayloads.recognise(port: 123, reply: reply, cookie: 0x0103) == nil)
        #expect(UDPPayloads.recognise(port: 123, reply: request) == nil)  // our own mode-3 packet
        #expect(UDPPayloads.recognise(port: 123, reply: Array(reply.prefix(47))) == nil)
    }

    @Test("SNMP: v1 and v2c GetRequest sysDescr.0 per configured community, then v3 discovery (RFC 1157, 3414)")
    func snmpRequests() {
        let requests = UDPPayloads.payloads(for: 161, communities: ["ops"], cookie: 0x0105)
        #expect(requests.count == 3)
        // SEQUENCE { INTEGER 0, OCTET STRING "ops", GetRequest { id 0x0105, 0, 0, { { sysDescr.0, NULL } } } }
        let oid: [UInt8] = [0x06, 0x08, 0x2B, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00]
        let varbinds: [UInt8] = [0x30, 0x0E, 0x30, 0x0C] + oid + [0x05, 0x00]
        let pdu: [UInt8] = [0xA0, 0x1A, 0x02, 0x02, 0x01, 0x05, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00] + varbinds
        let v1: [UInt8] = [0x30, 0x24, 0x02, 0x01, 0x00, 0x04, 0x03] + Self.bytes("ops") + pdu
        #expect(requests[0] == v1)
        var v2c = v1
        v2c[4] = 0x01
        #expect(requests[1] == v2c)
        // v3: version 3, header { msgID, 65507, flags 0x04 reportable, USM 3 }, empty USM params.
        let v3 = requests[2]
        #expect(Array(v3[0..<5]) == [0x30, UInt8(v3.count - 2), 0x02, 0x01, 0x03])
        let header: [UInt8] = [0x30, 0x0F, 0x02, 0x02, 0x01, 0x05, 0x02, 0x03, 0x00, 0xFF, 0xE3]
        #expect(Array(v3[5..<16]) == header)
        #expect(Array(v3[16..<22]) == [0x04, 0x01, 0x04, 0x02, 0x01, 0x03])
        let usm: [UInt8] = [0x04, 0x10, 0x30, 0x0E, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]
        #expect(Array(v3[22..<34]) == usm)
    }

    @Test("SNMP never guesses a community: with none configured only v3 discovery is sent")
    func snmpNoCommunity() {
        let requests = UDPPayloads.payloads(for: 161, communities: [], cookie: 7)
        #expect(requests.count == 1)
        #expect(requests[0][4] == 3)
        #expect(!requests[0].contains(where: { $0 == UInt8(ascii: "p") }))  // no "public"
    }

    @Test(
        "SNMP recogniser: v2c GetResponse confirms INS-SNMPV12 (under public/private also the default-community row), a v3 Report only names snmp"
    )
    func snmpReply() throws {
        let request = UDPPayloads.payloads(for: 161, communities: ["ops"], cookie: 0x0105)[1]
        var response = request
        let pduIndex = try #require(response.firstIndex(of: 0xA0))
        response[pduIndex] = 0xA2
        let v2 = UDPPayloads.recognise(port: 161, reply: response, cookie: 0x0105)
        #expect(v2?.service == "snmp")
        #expect(v2?.handshakes == ["INS-SNMPV12"])
        #expect(UDPPayloads.recognise(port: 161, reply: response, cookie: 0x0106) == nil)
        #expect(UDPPayloads.recognise(port: 161, reply: request) == nil)  // a GetRequest is not an answer
        for community in ["public", "private"] {
            var byDefault = UDPPayloads.payloads(for: 161, communities: [community], cookie: 0x0105)[1]
            byDefault[try #require(byDefault.firstIndex(of: 0xA0))] = 0xA2
            #expect(
                UDPPayloads.recognise(port: 161, reply: byDefault, cookie: 0x0105)?.handshakes == [
                    "INS-SNMPV12", "INS-SNMP-DEFAULT-COMMUNITY",
                ])
        }
        let report = UDPPayloads.payloads(for: 161, communities: [], cookie: 0x0105)[0]
        let v3 = UDPPayloads.recognise(port: 161, reply: report, cookie: 0x0105)
        #expect(v3?.service == "snmp")
        #expect(v3?.handshakes.first == nil)
    }

    @Test("NetBIOS NBSTAT: wildcard name first-level encoded, type 0x21 class IN (RFC 1002 §4.2.17)")
    func netbiosRequest() throws {
        let query = try #require(UDPPayloads.payload(for: 137, communities: [], cookie: 0x0A0B))
        #expect(query.count == 50)
        #expect(Array(query[0..<12]) == [0x0A, 0x0B, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
        #expect(query[12] == 0x20)
        #expect(Array(query[13..<15]) == Self.bytes("CK"))  // '*' = 0x2A
        #expect(query[15..<45].allSatisfy { $0 == UInt8(ascii: "A") })
        #expect(Array(query[45...]) == [0, 0x00, 0x21, 0x00, 0x01])
    }

    @Test("NetBIOS recogniser: a name table confirms INS-NETBIOS, an empty answer does not")
    func netbiosReply() throws {
        let query = try #require(UDPPayloads.payload(for: 137, communities: [], cookie: 0x0A0B))
        var reply = Array(query[0..<12])
        reply[2] = 0x84
        reply[5] = 0  // no question
        reply[7] = 1  // one answer
        reply += Array(query[12..<46]) + [0x00, 0x21, 0x00, 0x01] + [0, 0, 0, 0]  // name, type, class, ttl
        let name = Self.bytes("PAYMENTS01     ") + [0x00, 0x04, 0x00]  // 15 chars, suffix, flags
        let table: [UInt8] = [1] + name + [UInt8](repeating: 0, count: 46)  // + statistics
        reply += [0, UInt8(table.count)] + table
        let result = UDPPayloads.recognise(port: 137, reply: reply, cookie: 0x0A0B)
        #expect(result?.service == "netbios-ns")
        #expect(result?.handshakes == ["INS-NETBIOS"])
        var empty = reply
        empty[7] = 0
        #expect(UDPPayloads.recognise(port: 137, reply: empty, cookie: 0x0A0B)?.handshakes.first == nil)
        #expect(
            UDPPayloads.recognise(port: 137, reply: Array(reply.prefix(60)), cookie: 0x0A0B)?.handshakes.first == nil)
    }

    @Test("mDNS: _services._dns-sd._udp.local PTR IN; any response with our id confirms INS-AVAHI")
    func mdns() throws {
        let query = try #require(UDPPayloads.payload(for: 5353, communities: [], cookie: 0x0001))
        let name = [9] + Self.bytes("_services") + [7] + Self.bytes("_dns-sd") + [4] + Self.bytes("_udp")
        #expect(Array(query[12...]) == name + [5] + Self.bytes("local") + [0, 0, 12, 0, 1])
        var reply = query
        reply[2] = 0x84
        #expect(UDPPayloads.recognise(port: 5353, reply: reply, cookie: 1)?.handshakes == ["INS-AVAHI"])
        #expect(UDPPayloads.recognise(port: 5353, reply: query, cookie: 1) == nil)
    }

    @Test("SSDP: unicast M-SEARCH ssdp:all; an HTTP status line back is UPnP")
    func ssdp() throws {
        let request = try #require(UDPPayloads.payload(for: 1900, communities: [], cookie: 0))
        let text = String(decoding: request, as: UTF8.self)
        #expect(text.hasPrefix("M-SEARCH * HTTP/1.1\r\n"))
        #expect(text.contains("MAN: \"ssdp:discover\"\r\n"))
        #expect(text.hasSuffix("ST: ssdp:all\r\n\r\n"))
        #expect(UDPPayloads.recognise(port: 1900, reply: Self.bytes("HTTP/1.1 200 OK\r\n\r\n"))?.service == "upnp")
        #expect(UDPPayloads.recognise(port: 1900, reply: Self.bytes("HTTP")) == nil)
    }

    @Test("TFTP: RRQ octet for a non-existent name; ERROR or DATA block 1 confirms INS-TFTP (RFC 1350)")
    func tftp() throws {
        let request = try #require(UDPPayloads.payload(for: 69, communities: [], cookie: 0x00AB))
        #expect(Array(request[0..<2]) == [0, 1])
        let fields = request[2...].split(separator: 0, omittingEmptySubsequences: false).map { Array($0) }
        #expect(fields.count == 3)
        #expect(fields[0] == Self.bytes("portwarden-probe-00ab.nonexistent"))
        #expect(fields[1] == Self.bytes("octet"))
        #expect(request.last == 0)
        let error: [UInt8] = [0, 5, 0, 1] + Self.bytes("File not found") + [0]
        #expect(UDPPayloads.recognise(port: 69, reply: error)?.handshakes == ["INS-TFTP"])
        #expect(UDPPayloads.recognise(port: 69, reply: [0, 3, 0, 1, 0x41])?.handshakes == ["INS-TFTP"])
        #expect(UDPPayloads.recognise(port: 69, reply: [0, 5, 0, 99]) == nil)
        #expect(UDPPayloads.recognise(port: 69, reply: request) == nil)
    }

    @Test("memcached: 8-byte UDP frame header with the cookie, then version (protocol.txt)")
    func memcached() throws {
        let request = try #require(UDPPayloads.payload(for: 11211, communities: [], cookie: 0x1122))
        #expect(request == [0x11, 0x22, 0, 0, 0, 1, 0, 0] + Self.bytes("version\r\n"))
        let reply = [0x11, 0x22, 0, 0, 0, 1, 0, 0] + Self.bytes("VERSION 1.6.21\r\n")
        #expect(UDPPayloads.recognise(port: 11211, reply: reply, cookie: 0x1122)?.handshakes == ["INS-MEMCACHED"])
        #expect(UDPPayloads.recognise(port: 11211, reply: reply, cookie: 0x1123) == nil)
        #expect(UDPPayloads.recognise(port: 11211, reply: request) == nil)
    }

    @Test("IPMI: RMCP + v1.5 session + Get Channel Authentication Capabilities with valid checksums")
    func ipmiRequest() throws {
        let request = try #require(UDPPayloads.payload(for: 623, communities: [], cookie: 0x0041))
        #expect(request.count == 23)
        #expect(Array(request[0..<4]) == [0x06, 0x00, 0xFF, 0x07])
        #expect(request[4..<13].allSatisfy { $0 == 0 })
        #expect(request[13] == 9)
        let message = Array(request[14...])
        #expect(Array(message[0..<2]) == [0x20, 0x18])
        #expect((message[0] &+ message[1] &+ message[2]) == 0)  // header checksum
        #expect(message[3] == 0x81)
        #expect(message[4] == 0x01 << 2)  // rqSeq = cookie & 0x3F
        #expect(Array(message[5..<7]) == [0x38, 0x8E])
        #expect(message[7] == 0x04)
        #expect(message[3...].reduce(0, &+) == 0)  // body checksum
    }

    @Test("IPMI recogniser: the response to command 0x38 confirms INS-IPMI")
    func ipmiReply() {
        let response: [UInt8] =
            [0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x10]
            + [0x81, 0x1C, 0x63, 0x20, 0x01 << 2, 0x38, 0x00, 0x01, 0x97, 0x04, 0x03, 0, 0, 0, 0x00]
        #expect(UDPPayloads.recognise(port: 623, reply: response, cookie: 0x0041)?.handshakes == ["INS-IPMI"])
        #expect(UDPPayloads.recognise(port: 623, reply: response, cookie: 0x0042)?.handshakes.first == nil)
        #expect(UDPPayloads.recognise(port: 623, reply: [0x06, 0x00, 0xFF, 0x06, 0x00]) == nil)  // ASF class
    }

    @Test("ports without a protocol request get none (an empty datagram is sent), syslog included")
    func genericPorts() {
        for port: UInt16 in [514, 7, 40_000] {
            #expect(UDPPayloads.payload(for: port, communities: ["x"], cookie: 1) == nil)
            #expect(UDPPayloads.recognise(port: port, reply: [1, 2, 3]) == nil)
        }
    }

    /// Recognisers must survive every prefix of a valid reply and random bytes.
    @Test("recognisers never crash on truncated or random input", arguments: UDPPayloads.protocolPorts.sorted())
    func garbage(port: UInt16) {
        var generator = SystemRandomNumberGenerator()
        let requests = UDPPayloads.payloads(for: port, communities: ["c"], cookie: 9)
        for request in requests {
            for length in 0...request.count {
                _ = UDPPayloads.recognise(port: port, reply: Array(request.prefix(length)), cookie: 9)
            }
        }
        var recognisedRandom = 0
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<80, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if UDPPayloads.recognise(port: port, reply: bytes, cookie: 9)?.handshakes.first != nil {
                recognisedRandom += 1
            }
        }
        // With a cookie to match, random bytes almost never confirm a handshake.
        #expect(recognisedRandom < 40)
    }
}
