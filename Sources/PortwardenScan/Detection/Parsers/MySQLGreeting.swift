import PortwardenCore

/// The initial handshake packet a MySQL/MariaDB server sends on connect.
enum MySQLGreeting: Equatable, Sendable {
    /// A protocol-10 greeting with the server version and capability flags (lower 16 bits).
    case greeting(serverVersion: String, capabilities: UInt16)
    /// An error packet (e.g. 1130 "host is not allowed to connect").
    case error(code: UInt16, message: String)
    /// Not enough bytes yet.
    case incomplete
    /// Not a MySQL greeting.
    case notMySQL

    /// `CLIENT_SSL`: the server can switch the connection to TLS.
    static let clientSSL: UInt16 = 0x0800

    /// Parses the first packet. Never traps on truncated or garbage input.
    static func parse(_ bytes: [UInt8]) -> MySQLGreeting {
        guard bytes.count >= 4 else { return .incomplete }
        let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        guard bytes[3] == 0, length >= 1, length <= 16_384 else { return .notMySQL }
        guard bytes.count >= 4 + length else { return .incomplete }
        var reader = ByteReader(bytes[4..<(4 + length)])
        switch reader.uint8() {
        case 0xFF:
            guard let code = reader.uint16LE() else { return .notMySQL }
            let rest = reader.bytes(reader.remaining) ?? []
            return .error(code: code, message: DetectionText.printable(rest))
        case 0x0A:
            guard let version = reader.nullTerminated(), version.count <= 64,
                reader.bytes(4) != nil, reader.bytes(8) != nil, reader.uint8() != nil,
                let capabilities = reader.uint16LE()
            else { return .notMySQL }
            return .greeting(serverVersion: DetectionText.printable(version), capabilities: capabilities)
        default:
            return .notMySQL
        }
    }

    /// Whether a reply is decided (not `.incomplete`).
    var isFinal: Bool { self != .incomplete }
}
