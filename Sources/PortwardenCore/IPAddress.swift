/// An IPv4 or IPv6 address held as a 128-bit value.
///
/// IPv4 addresses keep their 32 bits in the low word and `isIPv4` set, so that `10.0.0.1` and the
/// IPv4-mapped `::ffff:10.0.0.1` stay distinct values, as they are on the wire.
public struct IPAddress: Hashable, Sendable, Comparable {
    /// The address bits; an IPv4 address uses the low 32 bits.
    public let value: UInt128
    /// Whether this is an IPv4 address.
    public let isIPv4: Bool

    /// Creates an IPv4 address from its 32-bit value.
    public init(ipv4 value: UInt32) {
        self.value = UInt128(value)
        self.isIPv4 = true
    }

    /// Creates an IPv6 address from its 128-bit value.
    public init(ipv6 value: UInt128) {
        self.value = value
        self.isIPv4 = false
    }

    /// Creates an IPv6 address from its two 64-bit halves.
    public init(ipv6High high: UInt64, low: UInt64) {
        self.init(ipv6: UInt128(high) << 64 | UInt128(low))
    }

    /// Creates an address of the given family from raw bits (truncated to 32 bits for IPv4).
    public init(value: UInt128, isIPv4: Bool) {
        self.value = isIPv4 ? value & 0xFFFF_FFFF : value
        self.isIPv4 = isIPv4
    }

    /// The upper 64 bits.
    public var high: UInt64 { UInt64(truncatingIfNeeded: value >> 64) }
    /// The lower 64 bits.
    public var low: UInt64 { UInt64(truncatingIfNeeded: value) }

    /// The width of the address in bits: 32 or 128.
    public var bitWidth: Int { isIPv4 ? 32 : 128 }

    /// The IPv4 value; meaningful only when `isIPv4`.
    public var ipv4Value: UInt32 { UInt32(truncatingIfNeeded: low) }

    /// Whether the address is in 127.0.0.0/8 or is ::1.
    public var isLoopback: Bool {
        isIPv4 ? (ipv4Value >> 24) == 127 : value == 1
    }

    /// Whether the address is the unspecified address (0.0.0.0 or ::).
    public var isUnspecified: Bool { value == 0 }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.isIPv4 != rhs.isIPv4 { return lhs.isIPv4 }
        return lhs.value < rhs.value
    }
}

extension IPAddress {
    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` compression and an embedded IPv4
    /// tail). A zone index (`%eth0`) is not accepted here.
    /// - Returns: `nil` when the text is not an address.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            bytes = Array(bytes.dropFirst().dropLast())
        }
        if bytes.contains(UInt8(ascii: ":")) {
            guard let (hi, lo) = Self.parseIPv6(bytes[...]) else { return nil }
            self.init(ipv6High: hi, low: lo)
        } else {
            guard let value = Self.parseIPv4(bytes[...]) else { return nil }
            self.init(ipv4: value)
        }
    }

    /// Parses a dotted-quad IPv4 address from bytes; leading zeros are rejected (ambiguous octal).
    public static func parseIPv4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        parseIPv4(bytes: bytes)
    }

    /// ``parseIPv4(_:)`` on any byte collection (a line buffer, a slice of a file).
    public static func parseIPv4(bytes: some Collection<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var parts = 0
        var leadingZero = false
        for byte in bytes {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if digits == 1, leadingZero { return nil }
                if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 3 || octet > 255 { return nil }
            } else if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | octet
                parts += 1
                octet = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | octet
    }

    static func parseIPv6(_ bytes: ArraySlice<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count >= 2, bytes.count <= 45 else { return nil }
        var groups: [UInt16] = []
        groups.reserveCapacity(8)
        var compressAt: Int? = nil
        var index = bytes.startIndex
        let end = bytes.endIndex
        if bytes[index] == UInt8(ascii: ":") {
            guard bytes[index + 1] == UInt8(ascii: ":") else { return nil }
            compressAt = 0
            index += 2
            if index == end { return (0, 0) }
        }
        while index < end {
            // Read one group (hex) or an embedded IPv4 tail.
            var groupEnd = index
            while groupEnd < end, bytes[groupEnd] != UInt8(ascii: ":") { groupEnd += 1 }
            let piece = bytes[index..<groupEnd]
            if piece.contains(UInt8(ascii: ".")) {
                guard groupEnd == end, let v4 = parseIPv4(piece) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                index = end
                break
            }
            guard !piece.isEmpty, piece.count <= 4 else { return nil }
            var group: UInt16 = 0
            for byte in piece {
                guard let nibble = hexValue(byte) else { return nil }
                group = group << 4 | UInt16(nibble)
            }
            groups.append(group)
            index = groupEnd
            if index < end {
                index += 1  // skip ':'
                if index < end, bytes[index] == UInt8(ascii: ":") {
                    guard compressAt == nil else { return nil }
                    compressAt = groups.count
                    index += 1
                } else if index == end {
                    return nil  // trailing single colon
                }
            }
        }
        if let at = compressAt {
            guard groups.count <= 7 else { return nil }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: at)
        }
        guard groups.count == 8 else { return nil }
        var hi: UInt64 = 0
        var lo: UInt64 = 0
        for i in 0..<4 { hi = hi << 16 | UInt64(groups[i]) }
        for i in 4..<8 { lo = lo << 16 | UInt64(groups[i]) }
        return (hi, lo)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension IPAddress: CustomStringConvertible {
    /// The canonical text form (RFC 5952 for IPv6: lower case, longest zero run compressed).
    public var description: String {
        if isIPv4 {
            let v = ipv4Value
            return "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)"
        }
        var groups = [UInt16](repeating: 0, count: 8)
        for i in 0..<4 {
            groups[i] = UInt16(truncatingIfNeeded: high >> UInt64(48 - 16 * i))
            groups[4 + i] = UInt16(truncatingIfNeeded: low >> UInt64(48 - 16 * i))
        }
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for i in 0...8 {
            if i < 8, groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                let length = i - runStart
                if length > bestLength, length >= 2 {
                    bestStart = runStart
                    bestLength = length
                }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}

extension IPAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let address = IPAddress(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an IPv4 or IPv6 address")
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
