import PortwardenCore

/// Decodes captured IPv4 packets (starting at the IP header, as an `AF_PACKET`/`SOCK_DGRAM`
/// socket delivers them) into ``SYNReply`` values. Lengths come from the headers (IP and TCP
/// options, GRO-merged segments on `lo`), every read is bounds-checked, and garbage is rejected
/// with a reason rather than trusted.
///
/// The IP header checksum is verified. The TCP checksum is not: packets a local stack sends over
/// `lo` or a veth may carry only the pseudo-header sum (checksum offload, `CHECKSUM_PARTIAL`), and
/// the 32-bit SYN cookie is the real guard against forged or stray segments.
enum SYNReplyParser {
    /// Decodes one packet.
    static func parse(_ packet: UnsafeRawBufferPointer) -> Result<SYNReply, SYNReplyRejection> {
        guard packet.count >= 20 else { return .failure(.truncated) }
        guard packet[0] >> 4 == 4 else { return .failure(.notIPv4) }
        let headerLength = Int(packet[0] & 0x0F) * 4
        guard headerLength >= 20 else { return .failure(.badHeaderLength) }
        guard packet.count >= headerLength else { return .failure(.truncated) }
        let totalLength = Int(load16(packet, 2))
        guard totalLength >= headerLength else { return .failure(.badHeaderLength) }
        // A capture may be longer (Ethernet padding) but never shorter than the IP length.
        guard packet.count >= totalLength else { return .failure(.truncated) }
        let header = UnsafeRawBufferPointer(rebasing: packet[0..<headerLength])
        guard InternetChecksum.finish(InternetChecksum.add(header)) == 0 else { return .failure(.badIPChecksum) }
        guard load16(packet, 6) & 0x1FFF == 0 else { return .failure(.fragment) }
        let payload = UnsafeRawBufferPointer(rebasing: packet[headerLength..<totalLength])
        let source = load32(packet, 12)
        let destination = load32(packet, 16)
        let ttl = packet[8]
        switch packet[9] {
        case 6: return parseTCP(payload, source: source, destination: destination, ttl: ttl)
        case 1: return parseICMP(payload, reporter: source, ttl: ttl)
        default: return .failure(.otherProtocol)
        }
    }

    private static func parseTCP(
        _ segment: UnsafeRawBufferPointer, source: UInt32, destination: UInt32, ttl: UInt8
    ) -> Result<SYNReply, SYNReplyRejection> {
        guard segment.count >= 20 else { return .failure(.truncated) }
        let dataOffset = Int(segment[12] >> 4) * 4
        guard dataOffset >= 20 else { return .failure(.badHeaderLength) }
        guard segment.count >= dataOffset else { return .failure(.truncated) }
        let reply = SYNReply.TCPSegment(
            source: source, destination: destination, sourcePort: load16(segment, 0),
            destinationPort: load16(segment, 2), sequence: load32(segment, 4), acknowledgment: load32(segment, 8),
            flags: segment[13], ttl: ttl)
        guard reply.isSYNACK || reply.isReset else { return .failure(.notAReply) }
        return .success(.tcp(reply))
    }

    private static func parseICMP(
        _ message: UnsafeRawBufferPointer, reporter: UInt32, ttl: UInt8
    ) -> Result<SYNReply, SYNReplyRejection> {
        guard message.count >= 8 else { return .failure(.truncated) }
        guard message[0] == 3 else { return .failure(.otherICMP) }
        // The quoted datagram: its IP header and at least the first 8 bytes of TCP (RFC 792).
        let quoted = UnsafeRawBufferPointer(rebasing: message[8...])
        guard quoted.count >= 20 else { return .failure(.truncated) }
        guard quoted[0] >> 4 == 4 else { return .failure(.notIPv4) }
        let quotedHeader = Int(quoted[0] & 0x0F) * 4
        guard quotedHeader >= 20 else { return .failure(.badHeaderLength) }
        guard quoted[9] == 6 else { return .failure(.quotedNotTCP) }
        guard quoted.count >= quotedHeader + 8 else { return .failure(.truncated) }
        return .success(
            .unreachable(
                SYNReply.ICMPUnreachable(
                    reporter: reporter, code: message[1], probeSource: load32(quoted, 12),
                    probeDestination: load32(quoted, 16), probeSourcePort: load16(quoted, quotedHeader),
                    probeDestinationPort: load16(quoted, quotedHeader + 2),
                    probeSequence: load32(quoted, quotedHeader + 4), ttl: ttl)))
    }

    private static func load16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    private static func load32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(load16(bytes, offset)) << 16 | UInt32(load16(bytes, offset + 2))
    }
}
