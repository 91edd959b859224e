/// The read-only requests the IPP probe sends (RFC 8010 encoding, RFC 8011 operations), each as the
/// body of an HTTP `POST` with `Content-Type: application/ipp`: Get-Printer-Attributes, and CUPS's
/// CUPS-Get-Default for a CUPS server whose printers live under `/printers/NAME`. Neither submits,
/// holds or cancels a job.
enum IPPRequest {
    /// Get-Printer-Attributes (RFC 8011, section 4.2.5).
    static let getPrinterAttributes: UInt16 = 0x000B
    /// CUPS-Get-Default, a CUPS extension operation: the default destination's attributes.
    static let cupsGetDefault: UInt16 = 0x4001
    /// Every request carries this request id; the response echoes it.
    static let requestID: UInt32 = 1
    /// The path IPP Everywhere printers serve their print service on.
    static let printPath = "/ipp/print"

    /// The printer attributes asked for: how each URI is secured and authenticated, and the
    /// printer's model, name and state as evidence.
    static let requestedAttributes = [
        "printer-uri-supported", "uri-security-supported", "uri-authentication-supported", "printer-make-and-model",
        "printer-name", "printer-state",
    ]

    /// An IPP/1.1 request for `operation` on `printerURI`: the operation attributes group with
    /// attributes-charset, attributes-natural-language, printer-uri and requested-attributes.
    static func body(operation: UInt16, printerURI: String) -> [UInt8] {
        var bytes: [UInt8] = [0x01, 0x01, UInt8(operation >> 8), UInt8(operation & 0xFF)]
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: requestID >> $0) }
        bytes.append(0x01)  // operation-attributes-tag
        func attribute(_ tag: UInt8, _ name: String, _ value: String) {
            let name = Array(name.utf8)
            let value = Array(value.utf8.prefix(1023))
            bytes.append(tag)
            bytes += [UInt8(name.count >> 8), UInt8(name.count & 0xFF)] + name
            bytes += [UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
        }
        attribute(0x47, "attributes-charset", "utf-8")
        attribute(0x48, "attributes-natural-language", "en")
        attribute(0x45, "printer-uri", printerURI)
        for (index, keyword) in requestedAttributes.enumerated() {
            attribute(0x44, index == 0 ? "requested-attributes" : "", keyword)
        }
        bytes.append(IPPMessage.endOfAttributes)
        return bytes
    }

    /// The HTTP/1.0 `POST` carrying `body` to `path` (HTTP/1.0, so the reply has a length and the
    /// connection ends with it).
    static func http(path: String, host: String, body: [UInt8]) -> [UInt8] {
        let head =
            "POST \(path) HTTP/1.0\r\nHost: \(host)\r\nUser-Agent: portwarden\r\n"
            + "Content-Type: application/ipp\r\nContent-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }
}
