import PortwardenCore

/// An ICMP message that answers one of discovery's requests, decoded by ``ICMPDiscoveryReplyParser``.
enum ICMPDiscoveryReply: Hashable, Sendable {
    /// An echo or timestamp reply from `host`.
    case reply(host: IPAddress, method: HostDiscoveryMethod)
    /// An ICMP error about our request to `target`, sent by `reporter` (the target itself, a
    /// router on the path, or our own stack when neighbour resolution failed).
    case error(target: IPAddress, reporter: IPAddress, type: UInt8, code: UInt8, method: HostDiscoveryMethod)

    /// The reason text of an ICMP error (nmap's vocabulary where it has one).
    static func errorText(type: UInt8, code: UInt8, ipv6: Bool) -> String {
        if ipv6 {
            switch (type, code) {
            case (1, 0): return "no-route"
            case (1, 1): return "admin-prohibited"
            case (1, 3): return "host-unreach"
            case (1, 4): return "port-unreach"
            case (1, _): return "unreachable"
            case (3, _): return "time-exceeded"
            default: return "icmpv6-\(type)/\(code)"
            }
        }
        switch (type, code) {
        case (3, 0): return "net-unreach"
        case (3, 1): return "host-unreach"
        case (3, 2): return "proto-unreach"
        case (3, 3): return "port-unreach"
        case (3, 9), (3, 10), (3, 13): return "admin-prohibited"
        case (3, _): return "unreachable"
        case (11, _): return "time-exceeded"
        default: return "icmp-\(type)/\(code)"
        }
    }
}

/// Decodes what an ICMP socket delivers into ``ICMPDiscoveryReply`` values. Every read is
/// bounds-checked; anything that is not an answer to our requests yields `nil`.
///
/// - IPv4 raw sockets deliver the IP header first; ping sockets deliver the ICMP message only
///   (and the kernel has already matched the identifier, which it rewrote).
/// - IPv6 sockets (raw and ping) deliver the ICMPv6 message only; the sender is `from`.
enum ICMPDiscoveryReplyParser {
    /// Decodes one received datagram.
    /// - Parameters:
    ///   - bytes: what `recvfrom` returned.
    ///   - from: the datagram's sender.
    ///   - ipv6: whether it came from an ICMPv6 socket.
    ///   - raw: whether the socket is raw (IPv4: an IP header comes first; identifiers are ours).
    ///   - identifier: our echo/timestamp identifier.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, from: IPAddress, ipv6: Bool, raw: Bool, identifier: UInt16
    ) -> ICMPDiscoveryReply? {
        var message = bytes
        if !ipv6, raw {
            guard bytes.count >= 20, bytes[0] >> 4 == 4, bytes[9] == 1 else { return nil }
            let headerLength = Int(bytes[0] & 0x0F) * 4
            guard headerLength >= 20, bytes.count >= headerLength else { return nil }
            message = UnsafeRawBufferPointer(rebasing: bytes[headerLength...])
        }
        guard message.count >= 8 else { return nil }
        let type = message[0]
        let ownIdentifier = !raw || load16(message, 4) == identifier
        switch (ipv6, type) {
        case (false, 0), (true, 129):
            return ownIdentifier ? .reply(host: from, method: .icmpEcho) : nil
        case (false, 14):
            return ownIdentifier ? .reply(host: from, method: .icmpTimestamp) : nil
        case (false, 3), (false, 11):
            return quotedIPv4(message, reporter: from, raw: raw, identifier: identifier)
        case (true, 1), (true, 3):
            return quotedIPv6(message, reporter: from, raw: raw, identifier: identifier)
        default:
            return nil
        }
    }

    private static func quotedIPv4(
        _ message: UnsafeRawBufferPointer, reporter: IPAddress, raw: Bool, identifier: UInt16
    ) -> ICMPDiscoveryReply? {
        let quoted = UnsafeRawBufferPointer(rebasing: message[8...])
        guard quoted.count >= 28, quoted[0] >> 4 == 4, quoted[9] == 1 else { return nil }
        let headerLength = Int(quoted[0] & 0x0F) * 4
        guard headerLength >= 20, quoted.count >= headerLength + 8 else { return nil }
        let request = quoted[headerLength]
        guard request == 8 || request == 13 else { return nil }
        if raw, load16(quoted, headerLength + 4) != identifier { return nil }
        let target = IPAddress(ipv4: load32(quoted, 16))
        return .error(
            target: target, reporter: reporter, type: message[0], code: message[1],
            method: request == 8 ? .icmpEcho : .icmpTimestamp)
    }

    private static func quotedIPv6(
        _ message: UnsafeRawBufferPointer, reporter: IPAddress, raw: Bool, identifier: UInt16
    ) -> ICMPDiscoveryReply? {
        let quoted = UnsafeRawBufferPointer(rebasing: message[8...])
        // The quoted IPv6 header (40 bytes, next header ICMPv6 = 58) and our echo header.
        guard quoted.count >= 48, quoted[0] >> 4 == 6, quoted[6] == 58, quoted[40] == 128 else { return nil }
        if raw, load16(quoted, 44) != identifier { return nil }
        var value: UInt128 = 0
        for offset in 24..<40 { value = value << 8 | UInt128(quoted[offset]) }
        return .error(
            target: IPAddress(ipv6: value), reporter: reporter, type: message[0], code: message[1], method: .icmpEcho)
    }

    private static func load16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    private static func load32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(load16(bytes, offset)) << 16 | UInt32(load16(bytes, offset + 2))
    }
}
