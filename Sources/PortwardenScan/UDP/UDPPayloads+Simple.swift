import PortwardenCore

extension UDPPayloads {
    /// SSDP (UPnP Device Architecture 2.0 §1.3.2): a unicast `M-SEARCH` for all devices.
    static func ssdpSearch() -> [UInt8] {
        Array(
            ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
                + "MX: 1\r\nST: ssdp:all\r\n\r\n").utf8)
    }

    /// An HTTP-over-UDP status line.
    static func recogniseSSDP(_ reply: [UInt8]) -> (service: String, handshakes: [String])? {
        Array(reply.prefix(7)) == Array("HTTP/1.".utf8) ? ("upnp", []) : nil
    }

    /// TFTP (RFC 1350): RRQ, octet mode, for a name derived from the cookie that no server holds.
    static func tftpReadRequest(cookie: UInt16) -> [UInt8] {
        let hex = String(cookie, radix: 16)
        let name = "portwarden-probe-" + String(repeating: "0", count: 4 - hex.count) + hex + ".nonexistent"
        return be16(1) + Array(name.utf8) + [0] + Array("octet".utf8) + [0]
    }

    /// An ERROR (opcode 5, code 0–8) or the first DATA block (opcode 3, block 1): a TFTP server.
    static func recogniseTFTP(_ reply: [UInt8]) -> (service: String, handshakes: [String])? {
        guard let opcode = readBE16(reply, 0), let field = readBE16(reply, 2) else { return nil }
        switch opcode {
        case 5 where field <= 8: return ("tftp", ["INS-TFTP"])
        case 3 where field == 1: return ("tftp", ["INS-TFTP"])
        default: return nil
        }
    }

    /// memcached UDP (protocol.txt, "UDP protocol"): the 8-byte frame header (request id = cookie,
    /// sequence 0, 1 datagram, reserved 0) and `version\r\n`, the smallest reply it has.
    static func memcachedVersion(cookie: UInt16) -> [UInt8] {
        be16(cookie) + be16(0) + be16(1) + be16(0) + Array("version\r\n".utf8)
    }

    /// A framed reply echoing the request id whose text is `VERSION …` or a `STAT`/`ERROR` line.
    static func recogniseMemcached(_ reply: [UInt8], cookie: UInt16?) -> (service: String, handshakes: [String])? {
        guard reply.count >= 8 + 5, let id = readBE16(reply, 0), let total = readBE16(reply, 4), total >= 1 else {
            return nil
        }
        if let cookie, id != cookie { return nil }
        let text = Array(reply[8...])
        for prefix in ["VERSION ", "STAT ", "ERROR", "SERVER_ERROR", "CLIENT_ERROR"]
        where text.starts(with: Array(prefix.utf8)) {
            return ("memcached", ["INS-MEMCACHED"])
        }
        return nil
    }
}
