/// The NetBIOS session service on 139/tcp (RFC 1002 section 4.3): a session request naming the
/// called and calling NetBIOS names must be accepted before SMB can be spoken.
enum NetBIOSSession {
    /// The answer to a session request.
    enum Response: Equatable, Sendable {
        /// POSITIVE SESSION RESPONSE (0x82): SMB may follow on this connection.
        case positive
        /// NEGATIVE SESSION RESPONSE (0x83) with its error code (0x80 not listening on called
        /// name, 0x82 called name not present, 0x83 insufficient resources, 0x8F unspecified).
        case negative(UInt8)
        /// RETARGET SESSION RESPONSE (0x84): the server names another address.
        case retarget
        case incomplete
        case invalid
    }

    /// A SESSION REQUEST from `PORTWARDEN` to the generic server name `*SMBSERVER`.
    static let request: [UInt8] = {
        let called = encodedName("*SMBSERVER", suffix: 0x20)
        let calling = encodedName("PORTWARDEN", suffix: 0x00)
        let length = called.count + calling.count
        return [0x81, 0x00, UInt8(length >> 8), UInt8(length & 0xFF)] + called + calling
    }()

    /// A NetBIOS name in first-level encoding (RFC 1001 section 14.1): 15 characters padded with
    /// spaces plus the suffix byte, each nibble as a letter `A`–`P`, length-prefixed, zero-terminated.
    static func encodedName(_ name: String, suffix: UInt8) -> [UInt8] {
        var raw = Array(name.uppercased().utf8.prefix(15))
        raw += [UInt8](repeating: 0x20, count: 15 - raw.count) + [suffix]
        var out: [UInt8] = [0x20]
        for byte in raw { out += [0x41 + (byte >> 4), 0x41 + (byte & 0x0F)] }
        return out + [0x00]
    }

    /// Parses the session-service packet answering a session request. Never traps.
    static func parse(_ bytes: [UInt8]) -> Response {
        var reader = ByteReader(bytes)
        guard let kind = reader.uint8(), let flags = reader.uint8(), let length = reader.uint16() else {
            return bytes.isEmpty || (0x82...0x84).contains(bytes[0]) ? .incomplete : .invalid
        }
        guard flags & 0xFE == 0 else { return .invalid }
        switch kind {
        case 0x82:
            return length == 0 ? .positive : .invalid
        case 0x83:
            guard length == 1 else { return .invalid }
            guard let code = reader.uint8() else { return .incomplete }
            return .negative(code)
        case 0x84:
            guard length == 6 else { return .invalid }
            return reader.bytes(6) == nil ? .incomplete : .retarget
        default:
            return .invalid
        }
    }
}
