/// An address prefix (CIDR block) such as `10.20.1.0/24` or `2001:db8::/32`.
public struct Prefix: Hashable, Sendable, Comparable {
    /// The first address of the block (host bits cleared).
    public let network: IPAddress
    /// The prefix length in bits.
    public let length: Int

    /// Creates a prefix; host bits of `address` beyond `length` are cleared.
    /// - Returns: `nil` when `length` is outside `0...bitWidth`.
    public init?(address: IPAddress, length: Int) {
        guard length >= 0, length <= address.bitWidth else { return nil }
        self.network = IPAddress(
            value: address.value & Self.mask(length: length, width: address.bitWidth),
            isIPv4: address.isIPv4)
        self.length = length
    }

    /// A prefix holding exactly one address (/32 or /128).
    public init(host address: IPAddress) {
        self.network = address
        self.length = address.bitWidth
    }

    static func mask(length: Int, width: Int) -> UInt128 {
        let full: UInt128 = width == 32 ? 0xFFFF_FFFF : UInt128.max
        let hostBits = width - length
        if hostBits == 0 { return full }
        if hostBits >= 128 { return 0 }
        return full & ~((UInt128(1) << UInt128(hostBits)) - 1)
    }

    /// Whether this is an IPv4 prefix.
    public var isIPv4: Bool { network.isIPv4 }

    /// The first address as raw bits.
    public var first: UInt128 { network.value }

    /// The last address as raw bits.
    public var last: UInt128 {
        let width = network.bitWidth
        if length == width { return network.value }
        return network.value | ((UInt128(1) << UInt128(width - length)) &- 1)
    }

    /// The number of addresses in the block (saturating at `UInt128.max` for ::/0).
    public var addressCount: UInt128 {
        let bits = network.bitWidth - length
        return bits >= 128 ? UInt128.max : UInt128(1) << UInt128(bits)
    }

    /// Whether `address` lies inside this block (families must match).
    public func contains(_ address: IPAddress) -> Bool {
        address.isIPv4 == isIPv4 && address.value >= first && address.value <= last
    }

    /// Whether `other` lies entirely inside this block.
    public func contains(_ other: Prefix) -> Bool {
        other.isIPv4 == isIPv4 && other.first >= first && other.last <= last
    }

    /// Whether the two blocks share at least one address.
    public func overlaps(_ other: Prefix) -> Bool {
        other.isIPv4 == isIPv4 && other.first <= last && first <= other.last
    }

    public static func < (lhs: Prefix, rhs: Prefix) -> Bool {
        if lhs.network != rhs.network { return lhs.network < rhs.network }
        return lhs.length < rhs.length
    }
}

extension Prefix {
    /// Parses `ADDRESS/LENGTH` or a bare address (a host prefix).
    /// - Returns: `nil` when the text is not a prefix.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        if parts.count == 1 {
            self.init(host: address)
            return
        }
        let lengthText = parts[1]
        guard !lengthText.isEmpty, lengthText.count <= 3, lengthText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let length = Int(lengthText)
        else { return nil }
        self.init(address: address, length: length)
    }

    /// Parses a prefix and reports whether host bits were set (`10.0.0.1/24`), which usually means
    /// a typing mistake.
    public static func parse(_ text: some StringProtocol) -> (prefix: Prefix, hadHostBits: Bool)? {
        guard let prefix = Prefix(text) else { return nil }
        let written = IPAddress(text.split(separator: "/", maxSplits: 1)[0])
        return (prefix, written.map { $0 != prefix.network } ?? false)
    }
}

extension Prefix: CustomStringConvertible {
    public var description: String { "\(network)/\(length)" }
}

extension Prefix: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let prefix = Prefix(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a prefix")
        }
        self = prefix
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
