import PortwardenCore

/// An SMB1 NEGOTIATE offering only the `NT LM 0.12` dialect, and the server's answer.
enum SMBNegotiation {
    /// The server's answer to the SMB1-only negotiate.
    enum Response: Equatable, Sendable {
        /// The server negotiated SMB1 (`NT LM 0.12`, dialect index 0).
        case smb1Accepted
        /// The server answered but refused SMB1 (error status, no dialect, or an SMB2 reply).
        case smb1Refused
        case incomplete
        case invalid
    }

    /// The NetBIOS-framed SMB_COM_NEGOTIATE request.
    static let request: [UInt8] = {
        var smb: [UInt8] = [0xFF, 0x53, 0x4D, 0x42, 0x72, 0, 0, 0, 0, 0x18, 0x01, 0x40]
        smb += [UInt8](repeating: 0, count: 12)  // PID high, signature, reserved
        smb += [0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, 0x00]  // TID, PID, UID, MID
        smb += [0x00, 0x0C, 0x00, 0x02] + Array("NT LM 0.12".utf8) + [0x00]
        return [0x00, 0x00, 0x00, UInt8(smb.count)] + smb
    }()

    /// Parses a NetBIOS session message carrying an SMB1 or SMB2 header. Never traps.
    static func parse(_ bytes: [UInt8]) -> Response {
        var reader = ByteReader(bytes)
        guard let kind = reader.uint8(), let high = reader.uint8(), let length = reader.uint16() else {
            return bytes.isEmpty || bytes[0] == 0 ? .incomplete : .invalid
        }
        guard kind == 0, high <= 1 else { return .invalid }
        let total = Int(high) << 16 | Int(length)
        guard let magic = reader.bytes(4) else { return .incomplete }
        if magic == [0xFE, 0x53, 0x4D, 0x42] { return .smb1Refused }
        guard magic == [0xFF, 0x53, 0x4D, 0x42] else { return .invalid }
        guard bytes.count >= 4 + min(total, 37) else { return .incomplete }
        guard let command = reader.uint8(), command == 0x72, let status = reader.uint32LE() else { return .invalid }
        if status != 0 { return .smb1Refused }
        guard reader.bytes(23) != nil, let wordCount = reader.uint8() else { return .incomplete }
        guard wordCount >= 1, let dialect = reader.uint16LE() else {
            return wordCount == 0 ? .smb1Refused : .incomplete
        }
        return dialect == 0 ? .smb1Accepted : .smb1Refused
    }
}
