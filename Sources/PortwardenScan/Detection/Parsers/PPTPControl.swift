/// PPTP's control connection (RFC 2637, section 2): the Start-Control-Connection-Request the probe
/// sends on tcp/1723, and the server's Start-Control-Connection-Reply. Every control message starts
/// with its length, message type 1 (control), the magic cookie 0x1A2B3C4D and its control message
/// type; the reply (type 2) is 156 bytes: protocol version, result code, error code, framing and
/// bearer capabilities, maximum channels, firmware revision, and 64-byte host and vendor names.
enum PPTPControl: Equatable, Sendable {
    /// A Start-Control-Connection-Reply.
    case reply(Reply)
    /// Fewer bytes than the reply so far, and nothing yet says it is not one.
    case incomplete
    /// Not a PPTP control reply.
    case notPPTP

    /// What a Start-Control-Connection-Reply says.
    struct Reply: Equatable, Sendable {
        /// Major and minor protocol version (1.0 is the only one defined).
        var versionMajor: UInt8
        var versionMinor: UInt8
        /// 1 successful channel establishment, 2 general error, 3 command channel already exists,
        /// 4 requester not authorised, 5 protocol version not supported.
        var resultCode: UInt8
        var firmwareRevision: UInt16
        /// The server's DNS name and vendor string, NUL padding removed (`nil` when empty).
        var hostName: String?
        var vendor: String?
    }

    /// The length of a Start-Control-Connection-Request and -Reply.
    static let startLength = 156
    /// Every control message carries it after the message type.
    static let magicCookie: UInt32 = 0x1A2B_3C4D

    /// The host name the probe announces.
    static let probeHostName = "portwarden-probe"

    /// A Start-Control-Connection-Request: protocol 1.0, asynchronous framing and analog bearer
    /// capability, no channels, the probe's host name and vendor. It asks for no call: a server
    /// answers it before any authentication, and the probe then stops the connection.
    static var request: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(startLength)
        func u16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
        func u32(_ value: UInt32) { u16(UInt16(value >> 16)); u16(UInt16(value & 0xFFFF)) }
        func name(_ text: String) {
            let field = Array(text.utf8.prefix(64))
            bytes += field + [UInt8](repeating: 0, count: 64 - field.count)
        }
        u16(UInt16(startLength))
        u16(1)  // control message
        u32(magicCookie)
        u16(1)  // Start-Control-Connection-Request
        u16(0)  // reserved
        u16(0x0100)  // protocol version 1.0
        u16(0)  // reserved
        u32(1)  // framing capabilities: asynchronous
        u32(1)  // bearer capabilities: analog
        u16(0)  // maximum channels
        u16(0)  // firmware revision
        name(probeHostName)
        name("portwarden")
        return bytes
    }

    /// A Stop-Control-Connection-Request (reason 1, none), sent after the reply to end the session.
    static let stopRequest: [UInt8] = [
        0x00, 0x10, 0x00, 0x01, 0x1A, 0x2B, 0x3C, 0x4D, 0x00, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    ]

    /// Parses the first bytes a server sent back. Never traps on short or garbage input; a prefix
    /// of a reply is `incomplete`, and what a prefix already rules out is `notPPTP`.
    static func parse(_ bytes: [UInt8]) -> PPTPControl {
        let expected: [(Int, UInt8)] = [
            (0, 0x00), (1, UInt8(startLength)), (2, 0x00), (3, 0x01), (4, 0x1A), (5, 0x2B), (6, 0x3C), (7, 0x4D),
            (8, 0x00), (9, 0x02),
        ]
        for (offset, byte) in expected {
            guard offset < bytes.count else { return .incomplete }
            guard bytes[offset] == byte else { return .notPPTP }
        }
        guard bytes.count >= startLength else { return .incomplete }
        let resultCode = bytes[14]
        guard (1...5).contains(resultCode) else { return .notPPTP }
        return .reply(
            Reply(
                versionMajor: bytes[12], versionMinor: bytes[13], resultCode: resultCode,
                firmwareRevision: UInt16(bytes[26]) << 8 | UInt16(bytes[27]), hostName: text(bytes[28..<92]),
                vendor: text(bytes[92..<156])))
    }

    /// A NUL-padded name field as printable text (other bytes shown as `?`), `nil` when empty.
    private static func text(_ field: ArraySlice<UInt8>) -> String? {
        let content = field.prefix { $0 != 0 }
        guard !content.isEmpty else { return nil }
        return String(decoding: content.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// What a reply says, for evidence: `Start-Control-Connection-Reply 1 (successful channel
    /// establishment), protocol 1.0, firmware 1, host "local", vendor "linux"`.
    static func describe(_ reply: Reply) -> String {
        let results = [
            1: "successful channel establishment", 2: "general error", 3: "command channel already exists",
            4: "requester not authorised", 5: "protocol version not supported",
        ]
        var text =
            "Start-Control-Connection-Reply \(reply.resultCode) (\(results[Int(reply.resultCode)] ?? "unknown")), "
            + "protocol \(reply.versionMajor).\(reply.versionMinor), firmware \(reply.firmwareRevision)"
        if let host = reply.hostName { text += ", host \"\(host)\"" }
        if let vendor = reply.vendor { text += ", vendor \"\(vendor)\"" }
        return text
    }
}
