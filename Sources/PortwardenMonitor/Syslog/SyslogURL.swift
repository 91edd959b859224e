import PortwardenCore

/// A syslog endpoint: `udp://ADDRESS:PORT` or `tcp://ADDRESS:PORT` with an IP literal (`[ADDRESS]` for IPv6).
/// The alert sink sends to one (`syslog URL`, `--syslog`); the receiver input listens on one
/// (`input syslog URL`). No name is resolved.
public struct SyslogURL: Hashable, Sendable, CustomStringConvertible {
    public var transport: Transport
    public var address: IPAddress
    public var port: UInt16

    public init(transport: Transport, address: IPAddress, port: UInt16) {
        self.transport = transport
        self.address = address
        self.port = port
    }

    public var description: String {
        "\(transport.rawValue)://" + EndpointAuthority.text(address, port)
    }

    /// Parses `udp://ADDRESS:PORT` or `tcp://ADDRESS:PORT`.
    /// - Throws: `SyslogURLError` naming what is wrong, with the 0-based byte offset of the part in `text`.
    public static func parse(_ text: String) throws(SyslogURLError) -> SyslogURL {
        let bytes = Array(text.utf8)
        let transport: Transport
        if bytes.starts(with: Array("udp://".utf8)) {
            transport = .udp
        } else if bytes.starts(with: Array("tcp://".utf8)) {
            transport = .tcp
        } else {
            throw SyslogURLError(.scheme, offset: 0, text: text)
        }
        let hostStart = 6
        let authority = bytes[hostStart...]
        if let slash = authority.firstIndex(of: UInt8(ascii: "/")) {
            throw SyslogURLError(.path, offset: slash, text: text)
        }
        let endpoint: EndpointAuthority
        do throws(EndpointAuthority.Problem) {
            endpoint = try EndpointAuthority.parse(authority)
        } catch {
            switch error {
            case .address(let offset): throw SyslogURLError(.address, offset: offset, text: text)
            case .port(let offset): throw SyslogURLError(.port, offset: offset, text: text)
            }
        }
        return SyslogURL(transport: transport, address: endpoint.address, port: endpoint.port)
    }
}

/// Why a syslog URL cannot be used.
public struct SyslogURLError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case scheme
        case address
        case port
        case path
    }

    public var code: Code
    /// The 0-based byte offset in the URL's text of the part that is wrong.
    public var offset: Int
    public var text: String

    public init(_ code: Code, offset: Int, text: String) {
        self.code = code
        self.offset = offset
        self.text = text
    }

    public var description: String {
        switch code {
        case .scheme: return "\(text): expected udp://ADDRESS:PORT or tcp://ADDRESS:PORT"
        case .address: return "\(text): the host must be an IP address (IPv6 in brackets); names are not resolved"
        case .port: return "\(text): expected a port 1-65535 after the address (udp://ADDRESS:PORT)"
        case .path: return "\(text): a syslog URL has no path (udp://ADDRESS:PORT)"
        }
    }
}
