extension IPAddress {
    /// Parses an address from UTF-8 bytes without making a `String` (log parsers' hot path).
    /// A surrounding `[…]` is accepted; a zone index (`%eth0`) is not.
    /// - Returns: `nil` when the bytes are not an address.
    public init?(utf8 bytes: ArraySlice<UInt8>) {
        var bytes = bytes
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            bytes = bytes.dropFirst().dropLast()
        }
        if bytes.contains(UInt8(ascii: ":")) {
            guard let (hi, lo) = Self.parseIPv6(bytes) else { return nil }
            self.init(ipv6High: hi, low: lo)
        } else {
            guard let value = Self.parseIPv4(bytes) else { return nil }
            self.init(ipv4: value)
        }
    }
}
