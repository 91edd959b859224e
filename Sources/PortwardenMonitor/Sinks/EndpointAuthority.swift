import PortwardenCore

/// The `ADDRESS:PORT` part of a webhook or syslog URL, the one parser both use: an IP literal
/// (`[ADDRESS]` for IPv6; no name is resolved, so no sink or receiver waits on DNS) and a port
/// 1–65535 written in at most five digits (no sign, no spaces).
struct EndpointAuthority: Hashable, Sendable {
    var address: IPAddress
    var port: UInt16

    /// What is wrong, at the 0-based byte offset (an index of the slice's base) of the part.
    enum Problem: Error, Hashable {
        case address(offset: Int)
        /// No `:PORT` (the offset is the end of the authority), or not a port.
        case port(offset: Int)
    }

    /// Parses `authority`, a slice of the URL's bytes between the scheme and the path.
    static func parse(_ authority: ArraySlice<UInt8>) throws(Problem) -> EndpointAuthority {
        guard let colon = authority.lastIndex(of: UInt8(ascii: ":")),
            authority.first != UInt8(ascii: "[") || authority[..<colon].last == UInt8(ascii: "]")
        else { throw .port(offset: authority.endIndex) }
        var host = authority[..<colon]
        if host.first == UInt8(ascii: "["), host.last == UInt8(ascii: "]") { host = host.dropFirst().dropLast() }
        guard let address = IPAddress(utf8: host) else { throw .address(offset: authority.startIndex) }
        let digits = authority[(colon + 1)...]
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let port = UInt16(String(decoding: digits, as: UTF8.self)), port > 0
        else { throw .port(offset: colon + 1) }
        return EndpointAuthority(address: address, port: port)
    }

    /// `ADDRESS:PORT`, `[ADDRESS]:PORT` for IPv6.
    static func text(_ address: IPAddress, _ port: UInt16) -> String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}
