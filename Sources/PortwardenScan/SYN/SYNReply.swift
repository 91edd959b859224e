import PortwardenCore

/// A packet the receive socket delivered, decoded as far as the SYN engine needs it: a TCP
/// segment from a target, or an ICMP destination-unreachable quoting one of our probes.
enum SYNReply: Sendable, Hashable {
    /// A TCP segment (SYN-ACK or RST) addressed to us.
    case tcp(TCPSegment)
    /// An ICMP destination unreachable that quotes a TCP probe.
    case unreachable(ICMPUnreachable)

    /// The fields of a TCP segment the engine matches against its probes.
    struct TCPSegment: Sendable, Hashable {
        /// The target (the segment's IP source).
        var source: UInt32
        /// Our address (the segment's IP destination).
        var destination: UInt32
        var sourcePort: UInt16
        var destinationPort: UInt16
        var sequence: UInt32
        var acknowledgment: UInt32
        /// TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10).
        var flags: UInt8
        var ttl: UInt8

        var isSYNACK: Bool { flags & 0x12 == 0x12 && flags & 0x04 == 0 }
        var isReset: Bool { flags & 0x04 != 0 }
    }

    /// An ICMP type 3 message and the header of the probe it quotes.
    struct ICMPUnreachable: Sendable, Hashable {
        /// Who sent the ICMP message (the target or a router on the way).
        var reporter: UInt32
        var code: UInt8
        /// The quoted probe's IP source (ours).
        var probeSource: UInt32
        /// The quoted probe's IP destination (the target).
        var probeDestination: UInt32
        var probeSourcePort: UInt16
        var probeDestinationPort: UInt16
        /// The quoted probe's sequence number (our cookie).
        var probeSequence: UInt32
        var ttl: UInt8
    }
}

/// Why a captured packet was not a reply the engine can use (counted, never fatal).
enum SYNReplyRejection: String, Error, Sendable, Hashable, CaseIterable {
    case truncated
    case notIPv4 = "not-ipv4"
    case badHeaderLength = "bad-header-length"
    case badIPChecksum = "bad-ip-checksum"
    case fragment
    case otherProtocol = "other-protocol"
    case notAReply = "not-a-reply"
    case otherICMP = "other-icmp"
    case quotedNotTCP = "quoted-not-tcp"
}
