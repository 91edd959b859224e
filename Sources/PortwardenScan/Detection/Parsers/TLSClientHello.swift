import PortwardenCore

/// Builds ClientHello records pinned to one protocol version, without a TLS library: enough for
/// the server to answer with a ServerHello (accepted) or an alert (refused).
enum TLSClientHello {
    /// CBC and stream suites that SSLv3 … TLS 1.1 servers offer (RSA, DHE and ECDHE key exchange).
    static let legacySuites: [UInt16] = [
        0xC014, 0xC013, 0xC00A, 0xC009, 0x0039, 0x0033, 0x0035, 0x002F, 0x000A, 0x0005, 0x0004,
    ]
    /// AEAD and SHA-2 suites added for TLS 1.2.
    static let tls12Suites: [UInt16] = [
        0xC02F, 0xC030, 0xC02B, 0xC02C, 0xCCA8, 0xCCA9, 0x009E, 0x009F, 0x009C, 0x009D, 0xC027, 0xC028, 0x003C,
        0x003D,
    ]
    /// TLS 1.3 suites.
    static let tls13Suites: [UInt16] = [0x1301, 0x1302, 0x1303]
    /// TLS_EMPTY_RENEGOTIATION_INFO_SCSV: lets old servers know we are not a renegotiation.
    static let renegotiationSCSV: UInt16 = 0x00FF

    /// A complete ClientHello record whose highest offered version is `version`.
    /// - Parameters:
    ///   - random: 32 bytes of client random (also reused as the x25519 key share).
    ///   - suites: the cipher suites to offer instead of the version's usual list (the weak-suite
    ///     probe offers only weak ones).
    static func record(for version: TLSVersion, random: [UInt8], suites offered: [UInt16]? = nil) -> [UInt8] {
        var body: [UInt8] = []
        let legacyVersion = min(version, .tls12)
        body.appendUInt16(legacyVersion.rawValue)
        body += random.count == 32 ? random : [UInt8](repeating: 0x5A, count: 32)
        body.append(0)  // empty session id
        var suites: [UInt16]
        switch version {
        case .ssl3, .tls10, .tls11: suites = legacySuites
        case .tls12: suites = tls12Suites + legacySuites
        case .tls13: suites = tls13Suites
        }
        if let offered { suites = offered }
        suites.append(renegotiationSCSV)
        body.appendUInt16(UInt16(suites.count * 2))
        for suite in suites { body.appendUInt16(suite) }
        body += [1, 0]  // compression: null only
        if version != .ssl3 {
            let extensions = self.extensions(for: version, keyShare: random)
            body.appendUInt16(UInt16(extensions.count))
            body += extensions
        }
        var handshake: [UInt8] = [1]  // client_hello
        handshake.appendUInt24(body.count)
        handshake += body
        var record: [UInt8] = [22]  // handshake
        record.appendUInt16(version == .ssl3 ? 0x0300 : 0x0301)
        record.appendUInt16(UInt16(handshake.count))
        return record + handshake
    }

    private static func extensions(for version: TLSVersion, keyShare: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        // supported_groups: x25519, secp256r1, secp384r1
        appendExtension(0x000A, [0x00, 0x06, 0x00, 0x1D, 0x00, 0x17, 0x00, 0x18], to: &out)
        // ec_point_formats: uncompressed
        appendExtension(0x000B, [0x01, 0x00], to: &out)
        if version >= .tls12 {
            let schemes: [UInt16] = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201]
            var data: [UInt8] = []
            data.appendUInt16(UInt16(schemes.count * 2))
            for scheme in schemes { data.appendUInt16(scheme) }
            appendExtension(0x000D, data, to: &out)
        }
        if version == .tls13 {
            appendExtension(0x002B, [0x02, 0x03, 0x04], to: &out)  // supported_versions: TLS 1.3 only
            appendExtension(0x002D, [0x01, 0x01], to: &out)  // psk_key_exchange_modes: psk_dhe_ke
            var share: [UInt8] = [0x00, 0x1D, 0x00, 0x20] + keyShare.prefix(32)
            share += [UInt8](repeating: 0x09, count: max(0, 36 - share.count))
            var data: [UInt8] = []
            data.appendUInt16(UInt16(share.count))
            appendExtension(0x0033, data + share, to: &out)
        }
        return out
    }

    private static func appendExtension(_ type: UInt16, _ data: [UInt8], to out: inout [UInt8]) {
        out.appendUInt16(type)
        out.appendUInt16(UInt16(data.count))
        out += data
    }
}

extension [UInt8] {
    /// Appends a big-endian 16-bit value.
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    /// Appends a big-endian 24-bit value.
    mutating func appendUInt24(_ value: Int) {
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }
}
