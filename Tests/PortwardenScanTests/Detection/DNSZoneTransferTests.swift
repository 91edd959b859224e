import Testing

@testable import PortwardenScan

/// The AXFR query and the reader of the first answer message, on transcripts of a real BIND
/// 9.18.49 (Debian 12) captured in a network namespace: `lab.test` with `allow-transfer { any; }`,
/// `closed.test` with `{ none; }`, `other.test` not served, and `version.bind` CHAOS TXT.
@Suite("DNS zone transfer over TCP: query and first message")
struct DNSZoneTransferTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            out.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return out
    }

    /// `lab.test` transferred: SOA, NS, two A records, SOA, in one 163-byte message.
    static let transferred = bytes(
        "00a3123484000001000500000000036c616204746573740000fc0001c00c000600010000012c0027036e7331c00c0a686f73746d"
            + "6173746572c00c78c4240900000e1000000258000151800000012cc00c000200010000012c0002c026c026000100010000012c"
            + "00047f00000103706179c00c000100010000012c00040a630032c00c000600010000012c0018c026c02c78c4240900000e1000"
            + "000258000151800000012c")
    /// The same asked as `LAB.test`: the owner is `lab` plus a pointer to `test`.
    static let transferredMixedCase = bytes(
        "00a7123484000001000500000000034c414204746573740000fc0001036c6162c010000600010000012c0027036e7331c01a0a68"
            + "6f73746d6173746572c01a78c4240900000e1000000258000151800000012cc01a000200010000012c0002c02ac02a00010001"
            + "0000012c00047f00000103706179c01a000100010000012c00040a630032c01a000600010000012c0018c02ac03078c4240900"
            + "000e1000000258000151800000012c")
    static let refused = bytes("001d12348005000100000000000006636c6f73656404746573740000fc0001")
    static let notAuthoritative = bytes("001c123480090001000000000000056f7468657204746573740000fc0001")
    static let version = bytes(
        "00511234840000010001000100000776657273696f6e0462696e640000100003c00c0010000300000000001918392e31382e3439"
            + "2d317e646562313275332d44656269616ec00c00020003000000000002c00c")

    @Test func theQueryIsOneFramedAXFRQuestion() {
        let query = DNSZoneTransfer.query(zone: ["lab", "test"], id: 0x1234)
        #expect(query == Self.bytes("001a12340000000100000000000003" + "6c616204746573740000fc0001"))
        #expect(Int(query[0]) << 8 | Int(query[1]) == query.count - 2)
        #expect(query[4] & 0x01 == 0, "no recursion desired")
    }

    @Test func aTransferThatStartsWithTheZonesSOAIsConfirmed() {
        let expected = DNSZoneTransfer.transferred(serial: 2_026_120_201, records: 5, authoritative: true)
        #expect(DNSZoneTransfer.parse(Self.transferred, id: 0x1234, zone: ["lab", "test"]) == expected)
        #expect(DNSZoneTransfer.parse(Self.transferredMixedCase, id: 0x1234, zone: ["LAB", "test"]) == expected)
        #expect(DNSZoneTransfer.parse(Self.transferred, id: 0x1234, zone: ["Lab", "TEST"]) == expected)
    }

    @Test func refusalsAreAnswersNotTransfers() {
        #expect(DNSZoneTransfer.parse(Self.refused, id: 0x1234, zone: ["closed", "test"]) == .answered(rcode: 5))
        #expect(
            DNSZoneTransfer.parse(Self.notAuthoritative, id: 0x1234, zone: ["other", "test"]) == .answered(rcode: 9))
        #expect(DNSZoneTransfer.rcodeName(5) == "REFUSED")
        #expect(DNSZoneTransfer.rcodeName(9) == "NOTAUTH")
    }

    @Test func anSOAOfAnotherZoneIsNoTransferOfThisOne() {
        #expect(
            DNSZoneTransfer.parse(Self.transferred, id: 0x1234, zone: ["pay", "lab", "test"]) == .answered(rcode: 0))
        #expect(DNSZoneTransfer.parse(Self.transferred, id: 0x1234, zone: ["test"]) == .answered(rcode: 0))
    }

    @Test func theVersionAnswerIdentifiesDNS() {
        #expect(DNSZoneTransfer.versionQuery(id: 0x1234).count == 2 + 12 + 14 + 4)
        #expect(DNSZoneTransfer.parse(Self.version, id: 0x1234, zone: nil) == .answered(rcode: 0))
        #expect(DNSZoneTransfer.parse(Self.version, id: 0x1234, zone: ["version", "bind"]) == .answered(rcode: 0))
    }

    @Test func anotherIdOrAQueryIsNotAnAnswer() {
        #expect(DNSZoneTransfer.parse(Self.transferred, id: 0x1235, zone: ["lab", "test"]) == .notDNS)
        let query = DNSZoneTransfer.query(zone: ["lab", "test"], id: 0x1234)
        #expect(DNSZoneTransfer.parse(query, id: 0x1234, zone: ["lab", "test"]) == .notDNS)
        #expect(
            DNSZoneTransfer.parse(Array("HTTP/1.0 400 Bad Request\r\n\r\n".utf8), id: 0x4854, zone: ["a"]) == .notDNS)
    }

    @Test func everyPrefixIsIncompleteAndNeverAMatch() {
        let zone = ["lab", "test"]
        // Length, header, question, the SOA's owner and fixed fields, then its RDATA up to the serial
        // (39 bytes less refresh, retry, expire and minimum): from there on the start is proven.
        let decided = 2 + 12 + 14 + 12 + 39 - 16
        for count in 0..<decided {
            #expect(
                DNSZoneTransfer.parse(Array(Self.transferred.prefix(count)), id: 0x1234, zone: zone) == .incomplete,
                "\(count) bytes")
        }
        #expect(
            DNSZoneTransfer.parse(Array(Self.transferred.prefix(decided)), id: 0x1234, zone: zone)
                == .transferred(serial: 2_026_120_201, records: 5, authoritative: true))
        // A refusal is decided by its header alone.
        for count in 0..<Self.refused.count {
            let reading = DNSZoneTransfer.parse(Array(Self.refused.prefix(count)), id: 0x1234, zone: zone)
            #expect(reading == (count < 14 ? .incomplete : .answered(rcode: 5)), "\(count) bytes")
        }
    }

    @Test func aMessageThatEndsInsideItsRecordsIsNotDNS() {
        // The length prefix says 30 bytes: the message stops inside the first answer's owner.
        var short = Array(Self.transferred.prefix(2 + 30))
        short[0] = 0
        short[1] = 30
        #expect(DNSZoneTransfer.parse(short, id: 0x1234, zone: ["lab", "test"]) == .notDNS)
        #expect(DNSZoneTransfer.parse([0, 5, 1, 2, 3, 4, 5], id: 0x0102, zone: nil) == .notDNS)
    }

    @Test func compressionLoopsAndReservedLabelsAreMalformed() {
        #expect(DNSNameReader.read([0xC0, 0x00], at: 0) == .malformed)
        #expect(DNSNameReader.read([0x40, 0x00], at: 0) == .malformed)
        #expect(DNSNameReader.read([0x03, 0x61], at: 0) == .truncated)
        #expect(DNSNameReader.read([0x01, 0x41, 0x00], at: 0) == .name(["a"], end: 3))
        let long = [UInt8]((0..<5).flatMap { _ in [63] + [UInt8](repeating: 0x61, count: 63) }) + [0]
        #expect(DNSNameReader.read(long, at: 0) == .malformed, "more than 255 bytes")
    }
}
