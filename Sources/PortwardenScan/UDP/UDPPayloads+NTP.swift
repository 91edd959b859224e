import PortwardenCore

extension UDPPayloads {
    /// The NTP mode-6 (control) opcode READSTAT, which lists the server's associations: the
    /// smallest control request a server answers (RFC 9327 §2.1, formerly RFC 1305 appendix B).
    static let ntpReadStatus: UInt8 = 1
    /// The NTP mode-7 (private) request code REQ_MON_GETLIST_1, `ntpdc monlist` (the reference
    /// implementation's `ntp_request.h`), the query of CVE-2013-5211.
    static let ntpMonitorList: UInt8 = 42

    /// The three NTP requests for port 123: the mode-3 client request (is this an NTP server?),
    /// a mode-6 READSTAT (does it answer remote control queries?) and a mode-7 monlist (does it
    /// answer the private query that lists its recent clients?). Each is one small datagram.
    static func ntpRequests(cookie: UInt16) -> [[UInt8]] {
        [ntpClientRequest(cookie: cookie), ntpControlReadStatus(cookie: cookie), ntpPrivateMonitorList()]
    }

    /// NTP (RFC 5905 §7.3): a 48-byte mode-3 client request, version 4, whose transmit timestamp
    /// carries the cookie; a server copies it into the origin timestamp of its reply.
    static func ntpClientRequest(cookie: UInt16) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: 48)
        packet[0] = 0x23  // LI 0, VN 4, mode 3
        let transmit = ntpTransmitTimestamp(cookie: cookie)
        packet.replaceSubrange(40..<48, with: transmit)
        return packet
    }

    /// A 12-byte mode-6 header (LI 0, VN 2, mode 6; R, E, M clear; READSTAT), the cookie as
    /// sequence number, association 0, no data: what `ntpq -c associations` sends first.
    static func ntpControlReadStatus(cookie: UInt16) -> [UInt8] {
        [0x16, ntpReadStatus] + be16(cookie) + be16(0) + be16(0) + be16(0) + be16(0)
    }

    /// A mode-7 request (response bit clear, VN 2, mode 7; implementation IMPL_XNTPD 3;
    /// REQ_MON_GETLIST_1; no items) padded with 40 zero bytes to the 48 bytes `ntpdc` sends.
    /// Mode 7 has no request id, so this one cannot carry the cookie.
    static func ntpPrivateMonitorList() -> [UInt8] {
        [0x17, 0x00, 0x03, ntpMonitorList, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 40)
    }

    /// A plausible, non-zero transmit timestamp built from the cookie (servers may drop zero).
    static func ntpTransmitTimestamp(cookie: UInt16) -> [UInt8] {
        [0xE0, 0x00, 0x00, 0x00] + be16(cookie) + be16(~cookie)
    }

    /// A reply on port 123: a server (mode 4) or broadcast (mode 5) reply of 48+ bytes whose
    /// origin timestamp is ours; a mode-6 READSTAT response (`INS-NTP-MODE6`); or a mode-7
    /// monlist response without error (`INS-NTP-MODE7`).
    static func recogniseNTP(_ reply: [UInt8], cookie: UInt16?) -> (service: String, handshakes: [String])? {
        guard let first = reply.first else { return nil }
        switch first & 0x07 {
        case 4, 5: return recogniseNTPServer(reply, cookie: cookie)
        case 6: return recogniseNTPControl(reply, cookie: cookie)
        case 7: return recogniseNTPPrivate(reply)
        default: return nil
        }
    }

    private static func recogniseNTPServer(
        _ reply: [UInt8], cookie: UInt16?
    ) -> (service: String, handshakes: [String])? {
        guard reply.count >= 48, (1...4).contains((reply[0] >> 3) & 0x07) else { return nil }
        if let cookie, Array(reply[24..<32]) != ntpTransmitTimestamp(cookie: cookie) { return nil }
        return ("ntp", [])
    }

    /// The 12-byte mode-6 header with R set, opcode READSTAT and our sequence number; the count
    /// field must fit the datagram. An error response (E set) shows an NTP server, not an answered
    /// query.
    private static func recogniseNTPControl(
        _ reply: [UInt8], cookie: UInt16?
    ) -> (service: String, handshakes: [String])? {
        guard reply.count >= 12, let sequence = readBE16(reply, 2), let count = readBE16(reply, 10) else { return nil }
        let flags = reply[1]
        guard (1...4).contains((reply[0] >> 3) & 0x07), flags & 0x80 != 0, flags & 0x1F == ntpReadStatus,
            12 + Int(count) <= reply.count
        else { return nil }
        if let cookie, sequence != cookie { return nil }
        return ("ntp", flags & 0x40 == 0 ? ["INS-NTP-MODE6"] : [])
    }

    /// The 8-byte mode-7 header with the response bit set, implementation IMPL_XNTPD (3) or
    /// IMPL_XNTPD_OLD (2) and request code monlist; an error code (the high 4 bits of
    /// `err_nitems`) shows mode 7 refusing the list, which is an NTP server but no match.
    private static func recogniseNTPPrivate(_ reply: [UInt8]) -> (service: String, handshakes: [String])? {
        guard reply.count >= 8, let errorAndItems = readBE16(reply, 4), let itemSize = readBE16(reply, 6) else {
            return nil
        }
        guard reply[0] & 0x80 != 0, reply[2] == 2 || reply[2] == 3, reply[3] == ntpMonitorList else { return nil }
        let items = Int(errorAndItems & 0x0FFF)
        guard 8 + items * Int(itemSize & 0x0FFF) <= reply.count else { return nil }
        return ("ntp", errorAndItems >> 12 == 0 ? ["INS-NTP-MODE7"] : [])
    }
}
