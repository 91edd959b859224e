/// The stateless half of the SYN engine: which source port a probe uses and which initial
/// sequence number (cookie) it carries, so that a reply can be attributed and authenticated
/// without a table of sent probes (scanning.md §9).
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
        let group = UInt16(truncatingIfNeeded: (hasher.hash(bytes(target, port)) >> 7) & 0x3F)
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
        var input = [UInt8](repeating: 0, count: 12)
        put(source, at: 0, in: &input)
        put(destination, at: 4, in: &input)
        input[8] = UInt8(sourcePort >> 8)
        input[9] = UInt8(truncatingIfNeeded: sourcePort)
        input[10] = UInt8(destinationPort >> 8)
        input[11] = UInt8(truncatingIfNeeded: destinationPort)
        return UInt32(truncatingIfNeeded: hasher.hash(input))
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

    private func bytes(_ target: UInt32, _ port: UInt16) -> [UInt8] {
        var input = [UInt8](repeating: 0, count: 6)
        put(target, at: 0, in: &input)
        input[4] = UInt8(port >> 8)
        input[5] = UInt8(truncatingIfNeeded: port)
        return input
    }

    private func put(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        bytes[offset] = UInt8(value >> 24)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}
