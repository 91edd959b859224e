import PortwardenCore

/// Builds the IPv4 + TCP SYN probe that the raw socket sends: a 20-byte IP header (no options,
/// DF clear) and a 24-byte TCP header carrying one MSS option, both with their checksums.
///
/// The kernel re-fills the IP checksum and total length of an `IPPROTO_RAW` packet; they are
/// computed here anyway so that a captured probe is valid on its own and tests can check it.
struct SYNPacket: Sendable, Hashable {
    /// Bytes of the whole probe.
    static let length = 44
    /// The TCP header length (20 bytes + the 4-byte MSS option).
    static let tcpLength = 24

    var source: UInt32
    var destination: UInt32
    var sourcePort: UInt16
    var destinationPort: UInt16
    /// The initial sequence number: the SYN cookie.
    var sequence: UInt32
    var identification: UInt16 = 0
    var ttl: UInt8 = 64
    var window: UInt16 = 1024
    var maximumSegmentSize: UInt16 = 1460

    /// The probe's bytes.
    func bytes() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: Self.length)
        buffer.withUnsafeMutableBytes { write(into: $0) }
        return buffer
    }

    /// Writes the probe into the first ``length`` bytes of `buffer` (which must be that large).
    func write(into buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count >= Self.length else { return }
        for index in 0..<Self.length { buffer[index] = 0 }
        buffer[0] = 0x45
        store16(UInt16(Self.length), at: 2, in: buffer)
        store16(identification, at: 4, in: buffer)
        buffer[8] = ttl
        buffer[9] = 6
        store32(source, at: 12, in: buffer)
        store32(destination, at: 16, in: buffer)
        store16(InternetChecksum.of(UnsafeRawBufferPointer(rebasing: buffer[0..<20])), at: 10, in: buffer)

        store16(sourcePort, at: 20, in: buffer)
        store16(destinationPort, at: 22, in: buffer)
        store32(sequence, at: 24, in: buffer)
        buffer[32] = UInt8(Self.tcpLength / 4) << 4
        buffer[33] = 0x02
        store16(window, at: 34, in: buffer)
        buffer[40] = 2
        buffer[41] = 4
        store16(maximumSegmentSize, at: 42, in: buffer)
        let pseudo = InternetChecksum.pseudoHeader(
            source: source, destination: destination, protocolNumber: 6, length: Self.tcpLength)
        let tcp = UnsafeRawBufferPointer(rebasing: buffer[20..<Self.length])
        store16(InternetChecksum.finish(InternetChecksum.add(tcp, to: pseudo)), at: 36, in: buffer)
    }

    private func store16(_ value: UInt16, at offset: Int, in buffer: UnsafeMutableRawBufferPointer) {
        buffer[offset] = UInt8(value >> 8)
        buffer[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    private func store32(_ value: UInt32, at offset: Int, in buffer: UnsafeMutableRawBufferPointer) {
        store16(UInt16(value >> 16), at: offset, in: buffer)
        store16(UInt16(truncatingIfNeeded: value), at: offset + 2, in: buffer)
    }
}
