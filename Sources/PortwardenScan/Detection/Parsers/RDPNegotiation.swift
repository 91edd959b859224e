import PortwardenCore

/// RDP connection negotiation (MS-RDPBCGR 2.2.1.1 / 2.2.1.2): an X.224 Connection Request carrying
/// an RDP_NEG_REQ, and the server's Connection Confirm.
enum RDPNegotiation {
    /// `PROTOCOL_RDP`: standard RDP security, no TLS, no NLA.
    static let standardRDP: UInt32 = 0
    /// `PROTOCOL_SSL`: TLS without CredSSP (no NLA).
    static let tls: UInt32 = 1
    /// `PROTOCOL_HYBRID`: CredSSP, i.e. NLA.
    static let hybrid: UInt32 = 2
    /// `PROTOCOL_HYBRID_EX`: CredSSP with early user authorization result.
    static let hybridEx: UInt32 = 8
    /// RDP_NEG_FAILURE code `HYBRID_REQUIRED_BY_SERVER`.
    static let hybridRequired: UInt32 = 5

    /// The server's answer.
    enum Response: Equatable, Sendable {
        /// RDP_NEG_RSP: the protocol the server selected.
        case selected(UInt32)
        /// RDP_NEG_FAILURE with its failure code.
        case failure(UInt32)
        /// A Connection Confirm without a negotiation response: a legacy server, standard RDP only.
        case legacy
        case incomplete
        case invalid
    }

    /// An X.224 Connection Request offering `protocols` (a bit set of the constants above).
    static func request(protocols: UInt32) -> [UInt8] {
        var bytes: [UInt8] = [0x03, 0x00, 0x00, 0x13, 0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00]
        bytes += [0x01, 0x00, 0x08, 0x00]
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: protocols >> UInt32(shift)))
        }
        return bytes
    }

    /// Parses a TPKT-framed Connection Confirm. Never traps on short or garbage input.
    static func parse(_ bytes: [UInt8]) -> Response {
        var reader = ByteReader(bytes)
        guard let version = reader.uint8(), reader.uint8() != nil, let length = reader.uint16() else {
            return bytes.isEmpty || bytes[0] == 3 ? .incomplete : .invalid
        }
        guard version == 3, length >= 11, length <= 4096 else { return .invalid }
        guard bytes.count >= Int(length) else { return .incomplete }
        guard let indicator = reader.uint8(), let code = reader.uint8(), code & 0xF0 == 0xD0,
            reader.bytes(5) != nil
        else { return .invalid }
        guard indicator >= 14, let type = reader.uint8() else { return .legacy }
        guard reader.uint8() != nil, reader.uint16LE() == 8, let value = reader.uint32LE() else { return .invalid }
        switch type {
        case 0x02: return .selected(value)
        case 0x03: return .failure(value)
        default: return .invalid
        }
    }

    /// Whether the reply is decided.
    static func isFinal(_ bytes: [UInt8]) -> Bool { parse(bytes) != .incomplete }
}
