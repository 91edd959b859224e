import PortwardenCore

/// The stateless half of the SYN engine: which source port a probe uses and which initial
/// sequence number (cookie) it carries, so that a reply can be attributed and authenticated
/// without a table of sent probes (docs/scanning.md).
///
/// Source ports come from `base ..< base + 1024` (61000–62023 by default, above Linux's default
/// ephemeral range 32768–60999). The low four bits of the offset are the try number, so an answer
/// to a retransmission says which try it answers; the other six bits spread probes over 64
/// groups chosen by the cookie key.
struct SYNCookie: Sendable {
    /// The first source port of the range.
    static let defaultBase: UInt16 = 61000
    /// How many source ports the range holds.
    static let rangeSize = 1024
    /// Tries are encoded in 4 bits: at most 15 retransmissions.
    static let maximumTries = 16

    let base: UInt16
    private let hasher: SipHash24

    /// - Parameters:
    ///   - key: the SipHash key (random per scan in production, fixed in tests).
    ///   - base: the first source port.
    init(key: SipHash24, base: UInt16 = SYNCookie.defaultBase) {
        hasher = key
        self.base = base
    }

    /// The last source port of the range.
    var lastPort: UInt16 { base &+ UInt16(Self.rangeSize - 1) }

    /// The source port of try `attempt` (0-based) of the probe to `target:port`.
    func sourcePort(target: UInt32, port: UInt16, attempt: Int) -> UInt16 {
        let hash = withUnsafeBytes(of: (target.bigEndian, port.bigEndian)) { hasher.hash($0.prefix(6)) }
        let group = UInt16(truncatingIfNeeded: (hash >> 7) & 0x3F)
        return base &+ (group << 4) &+ UInt16(attempt & 0x0F)
    }

    /// The try number a source port of the range encodes, or `nil` when the port is outside it.
    func attempt(sourcePort: UInt16) -> Int? {
        guard sourcePort >= base, Int(sourcePort - base) < Self.rangeSize else { return nil }
        return Int((sourcePort - base) & 0x0F)
    }

    /// The ISN: SipHash-2-4 of (source IP, destination IP, source port, destination port),
    /// truncated to 32 bits.
    func cookie(source: UInt32, destination: UInt32, sourcePort: UInt16, destinationPort: UInt16) -> UInt32 {
        // Network byte order, hashed in place: no allocation per probe or reply.
        let fields = (source.bigEndian, destination.bigEndian, sourcePort.bigEndian, destinationPort.bigEndian)
        return withUnsafeBytes(of: fields) { UInt32(truncatingIfNeeded: hasher.hash($0)) }
    }

    /// Whether a SYN-ACK or RST acknowledges our cookie (`ack − 1 == cookie`).
    func accepts(_ segment: SYNReply.TCPSegment) -> Bool {
        let expected = cookie(
            source: segment.destination, destination: segment.source, sourcePort: segment.destinationPort,
            destinationPort: segment.sourcePort)
        return segment.acknowledgment &- 1 == expected
    }

    /// Whether an ICMP error quotes one of our probes (its sequence number is the cookie).
    func accepts(_ message: SYNReply.ICMPUnreachable) -> Bool {
        let expected = cookie(
            source: message.probeSource, destination: message.probeDestination,
            sourcePort: message.probeSourcePort, destinationPort: message.probeDestinationPort)
        return message.probeSequence == expected
    }
}
