import PortwardenCore

extension UDPPayloads {
    /// IPMI over RMCP (IPMI v2.0 §13.2, §22.13): Get Channel Authentication Capabilities in an
    /// IPMI v1.5 session wrapper with no authentication; the cookie's low 6 bits are the rqSeq.
    static func ipmiChannelAuthCapabilities(cookie: UInt16) -> [UInt8] {
        let rmcp: [UInt8] = [0x06, 0x00, 0xFF, 0x07]  // version 6, reserved, seq 0xFF (no ACK), class IPMI
        let session: [UInt8] = [0x00, 0, 0, 0, 0, 0, 0, 0, 0]  // auth type none, sequence 0, session 0
        let rsAddr: UInt8 = 0x20  // BMC
        let netFn: UInt8 = 0x06 << 2  // Application request, LUN 0
        let rqAddr: UInt8 = 0x81  // remote console software id
        let rqSeq = UInt8(cookie & 0x3F) << 2
        let body: [UInt8] = [rqAddr, rqSeq, 0x38, 0x8E, 0x04]  // cmd, channel 0xE + v2.0 bit, admin level
        let message = [rsAddr, netFn, ipmiChecksum([rsAddr, netFn])] + body + [ipmiChecksum(body)]
        return rmcp + session + [UInt8(message.count)] + message
    }

    /// The two's-complement checksum of an IPMI message part.
    static func ipmiChecksum(_ bytes: [UInt8]) -> UInt8 {
        0 &- bytes.reduce(0, &+)
    }

    /// An RMCP IPMI-class packet; `INS-IPMI` when it carries the response to command 0x38.
    static func recogniseIPMI(_ reply: [UInt8], cookie: UInt16?) -> (service: String, handshakes: [String])? {
        guard reply.count >= 5, reply[0] == 0x06, reply[3] & 0x1F == 0x07 else { return nil }
        // IPMI v1.5 session header: auth type, sequence, session id (and a 16-byte code if authenticated).
        let authType = reply[4]
        let messageOffset: Int
        if authType == 0x06 {
            messageOffset = 4 + 1 + 1 + 4 + 4 + 2  // RMCP+ header
        } else {
            messageOffset = 4 + 1 + 4 + 4 + (authType == 0 ? 0 : 16) + 1
        }
        // Response: rqAddr, netFn(7)/LUN, checksum, rsAddr, rqSeq/rqLUN, cmd, completion code.
        guard messageOffset + 7 <= reply.count else { return ("ipmi", []) }
        let netFn = reply[messageOffset + 1] >> 2
        let sequence = reply[messageOffset + 4] >> 2
        let command = reply[messageOffset + 5]
        guard netFn == 0x07, command == 0x38 else { return ("ipmi", []) }
        if let cookie, sequence != UInt8(cookie & 0x3F) { return ("ipmi", []) }
        return ("ipmi", ["INS-IPMI"])
    }
}
