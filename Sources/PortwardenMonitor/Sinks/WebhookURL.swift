import PortwardenCore

/// Where the webhook sink posts alerts: `http://ADDRESS:PORT/PATH` or `https://ADDRESS:PORT/PATH` with an
/// IP literal (`[ADDRESS]` for IPv6), as the syslog sink takes one: no name is resolved, so the sink never
/// waits on DNS. Over https the receiver's certificate must name that address (an IP subject alternative
/// name).
public struct WebhookURL: Hashable, Sendable, CustomStringConvertible {
    public enum Scheme: String, Hashable, Sendable {
        case http
        case https
    }

    public var scheme: Scheme
    public var address: IPAddress
    public var port: UInt16
    /// The request target, starting with `/`.
    public var path: String

    public init(scheme: Scheme = .http, address: IPAddress, port: UInt16, path: String) {
        self.scheme = scheme
        self.address = address
        self.port = port
        self.path = path
    }

    /// `ADDRESS:PORT`, `[ADDRESS]:PORT` for IPv6: the `Host` header's value.
    public var authority: String { EndpointAuthority.text(address, port) }

    public var description: String { "\(scheme.rawValue)://\(authority)\(path)" }

    /// Parses `http://ADDRESS:PORT[/PATH]` or `https://ADDRESS:PORT[/PATH]`.
    /// - Throws: `WebhookURLError` naming what is wrong, with the 0-based offset of the part in `text`.
    public static func parse(_ text: String) throws(WebhookURLError) -> WebhookURL {
        let bytes = Array(text.utf8)
        guard let scheme = [Scheme.http, .https].first(where: { bytes.starts(with: Array("\($0.rawValue)://".utf8)) })
        else { throw WebhookURLError(.scheme, offset: 0, text: text) }
        let hostStart = scheme.rawValue.utf8.count + 3
        let pathStart = bytes[hostStart...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
        let endpoint: EndpointAuthority
        do throws(EndpointAuthority.Problem) {
            endpoint = try EndpointAuthority.parse(bytes[hostStart..<pathStart])
        } catch {
            switch error {
            case .address(let offset): throw WebhookURLError(.address, offset: offset, text: text)
            case .port(let offset): throw WebhookURLError(.port, offset: offset, text: text)
            }
        }
        let path = pathStart < bytes.endIndex ? String(decoding: bytes[pathStart...], as: UTF8.self) : "/"
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw WebhookURLError(.path, offset: pathStart, text: text)
        }
        return WebhookURL(scheme: scheme, address: endpoint.address, port: endpoint.port, path: path)
    }
}

/// Why a webhook URL cannot be used.
public struct WebhookURLError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case scheme
        case address
        case port
        case path
    }

    public var code: Code
    /// The 0-based offset in the URL's text of the part that is wrong.
    public var offset: Int
    public var text: String

    public init(_ code: Code, offset: Int, text: String) {
        self.code = code
        self.offset = offset
        self.text = text
    }

    public var description: String {
        switch code {
        case .scheme: return "webhook \(text): expected http://ADDRESS:PORT/PATH or https://ADDRESS:PORT/PATH"
        case .address:
            return "webhook \(text): the host must be an IP address (IPv6 in brackets); names are not resolved"
        case .port: return "webhook \(text): expected a port 1-65535 after the address (http://ADDRESS:PORT/PATH)"
        case .path: return "webhook \(text): the path must be printable ASCII without spaces"
        }
    }
}
