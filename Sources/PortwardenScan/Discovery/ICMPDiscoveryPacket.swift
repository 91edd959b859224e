/// The ICMP requests host discovery sends: echo (ICMPv4 type 8, ICMPv6 type 128) and, over IPv4
/// raw sockets, timestamp (type 13, RFC 792). Our identifier and the target's index as sequence
/// number make replies and the errors quoting them attributable.
enum ICMPDiscoveryPacket {
    /// An echo request. ICMPv6 checksums are filled in by the kernel (RFC 3542 §3.1), ICMPv4
    /// ones here (a ping socket recomputes it anyway).
    static func echo(identifier: UInt16, sequence: UInt16, ipv6: Bool) -> [UInt8] {
        var message: [UInt8] = [ipv6 ? 128 : 8, 0, 0, 0]
        append16(identifier, to: &message)
        append16(sequence, to: &message)
        message += Array("portwarden".utf8)
        if !ipv6 { setChecksum(&message) }
        return message
    }

    /// An ICMPv4 timestamp request (originate, receive and transmit timestamps zero).
    static func timestamp(identifier: UInt16, sequence: UInt16) -> [UInt8] {
        var message: [UInt8] = [13, 0, 0, 0]
        append16(identifier, to: &message)
        append16(sequence, to: &message)
        message += [UInt8](repeating: 0, count: 12)
        setChecksum(&message)
        return message
    }

    private static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    private static func setChecksum(_ message: inout [UInt8]) {
        let sum = message.withUnsafeBytes { InternetChecksum.of($0) }
        message[2] = UInt8(sum >> 8)
        message[3] = UInt8(truncatingIfNeeded: sum)
    }
}
