import PortwardenCore

/// The RFB (VNC) handshake: the server's version banner and its list of security types.
enum VNCHandshake {
    /// The security-type answer that follows the version exchange.
    enum SecurityTypes: Equatable, Sendable {
        /// The types the server offers (1 None, 2 VNC Authentication, 18 TLS, 19 VeNCrypt, …).
        case offered([UInt8])
        /// The server refused the connection (zero types), with its reason text.
        case refused(String)
        case incomplete
        case invalid
    }

    /// The minor version from a `RFB 003.00x\n` banner; `nil` when the bytes are not one.
    static func minorVersion(banner: [UInt8]) -> Int? {
        guard banner.count >= 12, banner.starts(with: Array("RFB ".utf8)), banner[11] == 10,
            banner[7] == UInt8(ascii: "."),
            let major = DetectionText.decimal(banner[4..<7]), let minor = DetectionText.decimal(banner[8..<11]),
            major == 3
        else { return nil }
        return minor
    }

    /// The version line the client answers with: the server's own for 3.3/3.7, else 3.8.
    static func clientVersion(forMinor minor: Int) -> String {
        switch minor {
        case ..<7: return "RFB 003.003\n"
        case 7: return "RFB 003.007\n"
        default: return "RFB 003.008\n"
        }
    }

    /// Parses the security-type message. RFB 3.3 sends one 32-bit type; 3.7+ send a count and a list.
    static func parseSecurityTypes(_ bytes: [UInt8], minor: Int) -> SecurityTypes {
        var reader = ByteReader(bytes)
        if minor < 7 {
            guard let type = reader.uint32() else { return .incomplete }
            if type == 0 { return parseReason(&reader) }
            return type <= 255 ? .offered([UInt8(type)]) : .invalid
        }
        guard let count = reader.uint8() else { return .incomplete }
        if count == 0 { return parseReason(&reader) }
        guard let types = reader.bytes(Int(count)) else { return .incomplete }
        return .offered(types)
    }

    private static func parseReason(_ reader: inout ByteReader) -> SecurityTypes {
        guard let length = reader.uint32() else { return .incomplete }
        guard length <= 4096 else { return .invalid }
        guard let text = reader.bytes(Int(length)) else { return .incomplete }
        return .refused(DetectionText.printable(text))
    }

    /// The verdicts for offered types: None (1) confirms INS-VNC-NONE, VNC Authentication (2)
    /// confirms INS-VNC; a server offering only TLS-based types (18 TLS, 19 VeNCrypt, …) matches neither.
    static func verdicts(for types: [UInt8]) -> [(rule: String, verdict: HandshakeVerdict)] {
        [
            ("INS-VNC-NONE", types.contains(1) ? .confirmed : .notMatched),
            ("INS-VNC", types.contains(2) ? .confirmed : .notMatched),
        ]
    }

    /// The offered types as evidence: `security types 1 (None), 2 (VNC Authentication), 19 (VeNCrypt)`.
    static func describe(_ types: [UInt8]) -> String {
        let names: [UInt8: String] = [1: "None", 2: "VNC Authentication", 16: "Tight", 18: "TLS", 19: "VeNCrypt"]
        return "security types "
            + types.map { type in names[type].map { "\(type) (\($0))" } ?? String(type) }.joined(separator: ", ")
    }
}
