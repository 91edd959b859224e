import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

/// Pure tests of the SYN scanner's packet code: SipHash-2-4, checksums, the probe builder, the
/// reply parser, the BPF program and the cookie; no sockets.
@Suite("SYN packets, cookies and parsing")
struct SYNPacketTests {
    private static let paperKey = SipHash24(key: Array(0...15))

    /// Reference vectors of the SipHash paper / reference implementation: key 00…0f, message
    /// 00…(n−1).
    @Test(arguments: [
        (0, 0x726f_db47_dd0e_0e31 as UInt64), (1, 0x74f8_39c5_93dc_67fd), (2, 0x0d6c_8009_d9a9_4f5a),
        (3, 0x8567_6696_d7fb_7e2d), (4, 0xcf27_94e0_2771_87b7), (8, 0x93f5_f579_9a93_2462),
        (15, 0xa129_ca61_49be_45e5),
    ])
    func sipHashMatchesTheReferenceVectors(length: Int, expected: UInt64) {
        let message = (0..<length).map { UInt8($0) }
        #expect(Self.paperKey.hash(message) == expected)
    }

    @Test func sipHashKeyWordsAreLittleEndian() {
        #expect(Self.paperKey.k0 == 0x0706_0504_0302_0100)
        #expect(Self.paperKey.k1 == 0x0f0e_0d0c_0b0a_0908)
        #expect(SipHash24(k0: 1, k1: 0).hash([1, 2, 3]) != SipHash24(k0: 2, k1: 0).hash([1, 2, 3]))
    }

    @Test func internetChecksumMatchesRFC1071AndAKnownIPHeader() {
        let rfc: [UInt8] = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]
        #expect(rfc.withUnsafeBytes { InternetChecksum.of($0) } == 0x220d)
        let header: [UInt8] = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
            0xc0, 0xa8, 0x00, 0xc7,
        ]
        #expect(header.withUnsafeBytes { InternetChecksum.of($0) } == 0xb861)
        let odd: [UInt8] = [0x01]
        #expect(odd.withUnsafeBytes { InternetChecksum.of($0) } == 0xfeff)
    }

    /// A straightforward second computation of the TCP checksum, to check the builder against.
    private static func referenceTCPChecksum(_ packet: [UInt8]) -> UInt16 {
        var words: [UInt32] = []
        var pseudo = Array(packet[12..<20]) + [0, 6, 0, UInt8(packet.count - 20)]
        pseudo += packet[20...]
        pseudo[12 + 16] = 0
        pseudo[12 + 17] = 0
        for index in stride(from: 0, to: pseudo.count, by: 2) {
            words.append(UInt32(pseudo[index]) << 8 | UInt32(index + 1 < pseudo.count ? pseudo[index + 1] : 0))
        }
        var sum = words.reduce(0, +)
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    @Test func synProbeHasTheExpectedHeadersAndValidChecksums() {
        let probe = SYNPacket(
            source: 0x0A4E_0001, destination: 0x0A4E_0002, sourcePort: 61_003, destinationPort: 443,
            sequence: 0xDEAD_BEEF, identification: 0x1234)
        let bytes = probe.bytes()
        #expect(bytes.count == 44)
        #expect(Array(bytes[0..<10]) == [0x45, 0, 0, 44, 0x12, 0x34, 0, 0, 64, 6])
        #expect(Array(bytes[12..<20]) == [10, 78, 0, 1, 10, 78, 0, 2])
        #expect(bytes.withUnsafeBytes { InternetChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<20])) } == 0)
        #expect(Array(bytes[20..<24]) == [0xEE, 0x4B, 0x01, 0xBB])
        #expect(Array(bytes[24..<28]) == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(Array(bytes[28..<32]) == [0, 0, 0, 0])
        #expect(bytes[32] == 0x60 && bytes[33] == 0x02)
        #expect(Array(bytes[40..<44]) == [2, 4, 0x05, 0xB4])
        let stored = UInt16(bytes[36]) << 8 | UInt16(bytes[37])
        #expect(stored == Self.referenceTCPChecksum(bytes))
        // Summing the segment with its pseudo-header and stored checksum gives zero.
        let pseudo = InternetChecksum.pseudoHeader(
            source: 0x0A4E_0001, destination: 0x0A4E_0002, protocolNumber: 6, length: 24)
        #expect(
            bytes.withUnsafeBytes {
                InternetChecksum.finish(InternetChecksum.add(UnsafeRawBufferPointer(rebasing: $0[20...]), to: pseudo))
            } == 0)
    }
}
