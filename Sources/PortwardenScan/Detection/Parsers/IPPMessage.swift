/// IPP's binary message encoding (RFC 8010, section 3): the requests the probe sends on tcp/631 and
/// the printer's response. A message is a version, an operation id or status code, a request id,
/// then attribute groups (a delimiter tag 0x01–0x0F each) of attributes (a value tag, a named first
/// value, unnamed further values), closed by the end-of-attributes tag 0x03; document data may follow.
enum IPPMessage: Equatable, Sendable {
    /// A whole response, up to its end-of-attributes tag.
    case response(Response)
    /// Fewer bytes than the response so far, and nothing yet says it is not one.
    case incomplete
    /// Not an IPP response: what is wrong, and at which byte offset of the message.
    case refused(Refusal)

    /// Why bytes are no IPP response, at the offset of the first byte that shows it.
    struct Refusal: Equatable, Sendable, CustomStringConvertible {
        var offset: Int
        var reason: String

        var description: String { "IPP message offset \(offset): \(reason)" }
    }

    /// One attribute: its group's delimiter tag, its name, and its values (text and keywords as
    /// printable text, integers and enums in decimal, anything else as `<tag 0xNN, N bytes>`).
    struct Attribute: Equatable, Sendable {
        var group: UInt8
        var name: String
        var valueTag: UInt8
        var values: [String]
    }

    /// What a response says.
    struct Response: Equatable, Sendable {
        var versionMajor: UInt8
        var versionMinor: UInt8
        /// 0x0000–0x00FF successful, 0x0400–0x04FF client error, 0x0500–0x05FF server error.
        var statusCode: UInt16
        var requestID: UInt32
        var attributes: [Attribute]

        /// Every value of the attribute `name`, in any group.
        func values(_ name: String) -> [String] { attributes.filter { $0.name == name }.flatMap(\.values) }
    }

    /// The printer-attributes group tag.
    static let printerGroup: UInt8 = 0x04
    /// The end-of-attributes tag.
    static let endOfAttributes: UInt8 = 0x03
    /// Integer and enum value tags, whose 4-byte values are read as numbers.
    private static let numberTags: Set<UInt8> = [0x21, 0x23]
    /// Value tags from textWithoutLanguage (0x41) to mimeMediaType (0x49): read as text.
    private static let textTags: ClosedRange<UInt8> = 0x41...0x49
    /// At most this many attributes are kept; a longer response is still read to its end.
    static let maximumAttributes = 256

    /// Parses a response body. Never traps on short or garbage input; a prefix of a response is
    /// `incomplete`, and a refusal names the offset of the first byte that rules the input out.
    static func parse(_ bytes: [UInt8]) -> IPPMessage {
        guard let major = bytes.first else { return .incomplete }
        guard major == 1 || major == 2 else {
            return .refused(Refusal(offset: 0, reason: "version \(major) is no IPP version (1.x or 2.x)"))
        }
        guard bytes.count >= 9 else { return .incomplete }
        let status = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        let requestID = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
        var attributes: [Attribute] = []
        var group: UInt8?
        // The group of the last named attribute, and whether it was kept (see `maximumAttributes`).
        var named: (group: UInt8, kept: Bool)?
        var offset = 8
        while offset < bytes.count {
            let tag = bytes[offset]
            if tag == endOfAttributes {
                return .response(
                    Response(
                        versionMajor: major, versionMinor: bytes[1], statusCode: status, requestID: requestID,
                        attributes: attributes))
            }
            if tag < 0x10 {
                guard tag != 0x00 else {
                    return .refused(Refusal(offset: offset, reason: "reserved delimiter tag 0x00"))
                }
                group = tag
                named = nil
                offset += 1
                continue
            }
            guard let current = group else {
                return .refused(Refusal(offset: offset, reason: "value tag \(hex(tag)) before any attribute group"))
            }
            guard let name = lengthPrefixed(bytes, at: offset + 1), let value = lengthPrefixed(bytes, at: name.end)
            else { return .incomplete }
            if name.bytes.isEmpty {
                guard let previous = named, previous.group == current else {
                    return .refused(Refusal(offset: offset, reason: "an additional value with no attribute before it"))
                }
                if previous.kept { attributes[attributes.count - 1].values.append(text(value.bytes, tag: tag)) }
            } else {
                let kept = attributes.count < maximumAttributes
                if kept {
                    attributes.append(
                        Attribute(
                            group: current, name: DetectionText.printable(name.bytes, limit: 80), valueTag: tag,
                            values: [text(value.bytes, tag: tag)]))
                }
                named = (current, kept)
            }
            offset = value.end
        }
        return .incomplete
    }

    /// A 2-byte length and that many bytes at `offset`; `nil` when the input ends first.
    private static func lengthPrefixed(_ bytes: [UInt8], at offset: Int) -> (bytes: ArraySlice<UInt8>, end: Int)? {
        guard offset + 2 <= bytes.count else { return nil }
        let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
        let start = offset + 2
        guard start + length <= bytes.count else { return nil }
        return (bytes[start..<(start + length)], start + length)
    }

    /// A value as evidence text.
    private static func text(_ value: ArraySlice<UInt8>, tag: UInt8) -> String {
        if numberTags.contains(tag), value.count == 4 {
            return String(value.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
        if textTags.contains(tag) { return DetectionText.printable(value, limit: 200) }
        return "<tag \(hex(tag)), \(value.count) bytes>"
    }

    static func hex(_ byte: UInt8) -> String {
        "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    /// The name of a status code (RFC 8011, section 13.1), as evidence.
    static func describe(status: UInt16) -> String {
        let names: [UInt16: String] = [
            0x0000: "successful-ok", 0x0001: "successful-ok-ignored-or-substituted-attributes",
            0x0400: "client-error-bad-request", 0x0401: "client-error-forbidden",
            0x0402: "client-error-not-authenticated", 0x0403: "client-error-not-authorized",
            0x0406: "client-error-not-found", 0x0500: "server-error-internal-error",
            0x0501: "server-error-operation-not-supported", 0x0503: "server-error-version-not-supported",
        ]
        return names[status] ?? "status 0x" + String(status, radix: 16)
    }
}
