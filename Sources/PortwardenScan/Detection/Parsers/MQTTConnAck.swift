/// MQTT 3.1.1 (OASIS, section 3.1 and 3.2): the CONNECT the probe sends, without a user name or
/// password, and the broker's CONNACK.
enum MQTTConnAck: Equatable, Sendable {
    /// A CONNACK with the broker's return code (0 accepted, 1 protocol version, 2 client id,
    /// 3 server unavailable, 4 bad user name or password, 5 not authorised).
    case connAck(returnCode: UInt8)
    /// Fewer than the four bytes of a CONNACK so far, and nothing yet says it is not one.
    case incomplete
    /// Not a CONNACK.
    case notMQTT

    /// Return code 0: the connection is accepted.
    static let accepted: UInt8 = 0
    /// Return codes 4 and 5: the broker wants credentials this client did not send.
    static let credentialsRequired: Set<UInt8> = [4, 5]

    /// The client identifier the probe announces.
    static let clientID = "portwarden-probe"

    /// A CONNECT for protocol level 4 (3.1.1) with a clean session, a 10-second keep-alive, the
    /// probe's client identifier, and no will, user name or password.
    static var connect: [UInt8] {
        let id = Array(clientID.utf8)
        let variable: [UInt8] = [0x00, 0x04] + Array("MQTT".utf8) + [0x04, 0x02, 0x00, 0x0A]
        let body = variable + [UInt8(id.count >> 8), UInt8(id.count & 0xFF)] + id
        return [0x10, UInt8(body.count)] + body
    }

    /// The DISCONNECT that ends an accepted session politely.
    static let disconnect: [UInt8] = [0xE0, 0x00]

    /// Parses the first bytes a broker sent back. Never traps on short or garbage input.
    static func parse(_ bytes: [UInt8]) -> MQTTConnAck {
        guard let first = bytes.first else { return .incomplete }
        guard first == 0x20 else { return .notMQTT }
        guard bytes.count >= 2 else { return .incomplete }
        guard bytes[1] == 0x02 else { return .notMQTT }
        guard bytes.count >= 4 else { return .incomplete }
        // Acknowledge flags: only bit 0 (session present) is defined.
        guard bytes[2] & 0xFE == 0, bytes[3] <= 5 else { return .notMQTT }
        return .connAck(returnCode: bytes[3])
    }

    /// What a return code means, for evidence.
    static func describe(_ code: UInt8) -> String {
        switch code {
        case 0: return "CONNACK 0 (accepted) to a CONNECT without credentials"
        case 1: return "CONNACK 1 (unacceptable protocol version)"
        case 2: return "CONNACK 2 (identifier rejected)"
        case 3: return "CONNACK 3 (server unavailable)"
        case 4: return "CONNACK 4 (bad user name or password) to a CONNECT without credentials"
        default: return "CONNACK 5 (not authorised) to a CONNECT without credentials"
        }
    }
}
