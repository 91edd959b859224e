import Testing

@testable import PortwardenScan

/// Inputs the libFuzzer targets in `fuzz/` found (docs/fuzzing.md): each crashed its parser before
/// the fix, and each is also in the target's seed corpus.
@Suite("Inputs found by fuzzing")
struct FuzzRegressionTests {
    /// `udp-error-queue`: an `IPV6_RECVERR` control message whose `cmsg_len` (a `size_t`) is above
    /// `Int.max` passed the signed bounds check and trapped on a negative buffer count.
    @Test func controlMessageLengthAboveIntMax() {
        let control: [UInt8] = [
            0x3C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2C, 0xFF, 0x29, 0x00, 0x00, 0x00,
            0x19, 0x00, 0x00, 0x00, 0x71, 0x00, 0x00, 0x00, 0x03, 0x01, 0x04, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x20, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        ]
        #expect(UDPErrorQueueEntry.parse(control: control).isEmpty)
    }

    /// `detection-dns` (a property, not a trap): an SOA with RDLENGTH 0 whose RNAME runs past the
    /// bytes received so far was called malformed on half of the input while the whole input was
    /// still incomplete: running out of bytes inside a name was judged against the RDLENGTH instead
    /// of meaning "more bytes needed". A reading decided on a prefix must be the whole input's.
    @Test func soaNamesPastTheReceivedBytesAreIncomplete() {
        let reply: [UInt8] = [
            0x00, 0xA3, 0x12, 0x34, 0x84, 0x00, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00,
            0x00, 0x00, 0x03, 0x6C, 0x61, 0x62, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00,
            0x00, 0xFC, 0x00, 0x01, 0xC0, 0x0C, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00,
            0x01, 0x2C, 0x00, 0x00, 0x00, 0x27, 0x00, 0x18, 0x01, 0x00, 0xC0, 0x26,
            0xC0, 0x78, 0xC4, 0x24, 0x09, 0x00, 0x00, 0x0E, 0x00, 0x10, 0x00, 0x00,
            0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x0E, 0x10,
            0x00, 0x00, 0x02, 0x58, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x01, 0x2C,
        ]
        #expect(DNSZoneTransfer.parse(reply, id: 0x1234, zone: ["lab", "test"]) == .incomplete)
        #expect(
            DNSZoneTransfer.parse(Array(reply.prefix(reply.count / 2)), id: 0x1234, zone: ["lab", "test"])
                == .incomplete)
    }

    /// `detection-lpd` (a property, not a trap): a first line that is another protocol's (`404 `, a
    /// numeric reply code) ending in a carriage return was refused for the reply code, and one more
    /// byte made it a carriage return inside a line: the byte scan ran before the first-line check,
    /// so the refusal depended on what followed. A refusal made before the close must hold.
    @Test func otherProtocolsFirstLineIsRefusedWhateverFollows() {
        let answer: [UInt8] = [0x34, 0x30, 0x34, 0x20, 0x4E, 0x60, 0xFF, 0xFF, 0x6F, 0x8C, 0x0D]
        let refusal = LPDQueueState.refused(.init(line: 1, column: 1, reason: "a numeric reply code line"))
        #expect(LPDQueueState.parse(answer, closed: false) == refusal)
        #expect(LPDQueueState.parse(answer + [0x41], closed: false) == refusal)
        #expect(LPDQueueState.parse(answer, closed: true) == refusal)
    }
}
