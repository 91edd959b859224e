import PortwardenCore

/// What a server sent back to a ClientHello, parsed from raw record bytes.
enum TLSServerReply: Equatable, Sendable {
    /// Not enough bytes yet to decide.
    case incomplete
    /// A ServerHello (or HelloRetryRequest) choosing `version` (from supported_versions when present).
    case serverHello(version: UInt16, cipherSuite: UInt16, helloRetry: Bool)
    /// A TLS alert: the server refused the offer.
    case alert(level: UInt8, description: UInt8)
    /// The bytes are not TLS records.
    case notTLS

    /// The SHA-256 of "HelloRetryRequest": the fixed random of a TLS 1.3 HelloRetryRequest.
    static let helloRetryRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    /// Parses the first handshake message or alert out of `bytes` (any number of records).
    /// Never traps: truncated input is `.incomplete`, garbage is `.notTLS`.
    static func parse(_ bytes: [UInt8]) -> TLSServerReply {
        var handshake: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 5 else { return .incomplete }
            let type = bytes[offset]
            let major = bytes[offset + 1]
            let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            guard major == 3, length <= 18_432 else { return .notTLS }
            guard bytes.count - offset - 5 >= length else {
                // A ServerHello often shares one large record with the certificate: it may
                // already be whole even though the record is not.
                if type == 22 { return parseServerHello(handshake + bytes[(offset + 5)...]) ?? .incomplete }
                return type == 21 ? .incomplete : .notTLS
            }
            let fragment = Array(bytes[(offset + 5)..<(offset + 5 + length)])
            switch type {
            case 21:
                guard fragment.count >= 2 else { return .notTLS }
                return .alert(level: fragment[0], description: fragment[1])
            case 22:
                handshake += fragment
                if let reply = parseServerHello(handshake) { return reply }
            default:
                return .notTLS
            }
            offset += 5 + length
        }
        return .incomplete
    }

    /// Parses a ServerHello handshake message; `nil` when more bytes are needed.
    private static func parseServerHello(_ message: [UInt8]) -> TLSServerReply? {
        guard message.count >= 4 else { return nil }
        guard message[0] == 2 else { return .notTLS }
        let length = Int(message[1]) << 16 | Int(message[2]) << 8 | Int(message[3])
        guard message.count >= 4 + length else { return nil }
        var reader = ByteReader(message[4..<(4 + length)])
        guard let legacyVersion = reader.uint16(), let random = reader.bytes(32),
            let sessionLength = reader.uint8(), reader.bytes(Int(sessionLength)) != nil,
            let suite = reader.uint16(), reader.uint8() != nil
        else { return .notTLS }
        var version = legacyVersion
        if let extensionsLength = reader.uint16(),
            var extensions = reader.bytes(Int(extensionsLength)).map(ByteReader.init)
        {
            while let type = extensions.uint16(), let size = extensions.uint16(), let data = extensions.bytes(Int(size))
            {
                if type == 0x002B, data.count == 2 { version = UInt16(data[0]) << 8 | UInt16(data[1]) }
            }
        }
        return .serverHello(version: version, cipherSuite: suite, helloRetry: random == helloRetryRandom)
    }

    /// Whether the reply is complete enough to stop reading.
    var isFinal: Bool { self != .incomplete }
}
