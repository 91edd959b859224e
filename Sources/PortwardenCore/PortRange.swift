/// An inclusive range of port numbers, `lower...upper`, within 0...65535.
public struct PortRange: Hashable, Sendable, Comparable {
    public let lower: UInt16
    public let upper: UInt16

    /// - Returns: `nil` when `lower > upper`.
    public init?(_ lower: UInt16, _ upper: UInt16) {
        guard lower <= upper else { return nil }
        self.lower = lower
        self.upper = upper
    }

    /// A range of one port.
    public init(port: UInt16) {
        self.lower = port
        self.upper = port
    }

    public func contains(_ port: UInt16) -> Bool { port >= lower && port <= upper }
    public func overlaps(_ other: PortRange) -> Bool { lower <= other.upper && other.lower <= upper }
    public var count: Int { Int(upper) - Int(lower) + 1 }

    public static func < (lhs: PortRange, rhs: PortRange) -> Bool {
        lhs.lower != rhs.lower ? lhs.lower < rhs.lower : lhs.upper < rhs.upper
    }
}

extension PortRange: CustomStringConvertible {
    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }
}

/// One entry of a policy's `ports:` list: a transport and a port range, written `tcp/5432`,
/// `udp/53` or `tcp/8000-8080`.
public struct PortSpec: Hashable, Sendable, Comparable {
    public let transport: Transport
    public let range: PortRange

    public init(_ transport: Transport, _ range: PortRange) {
        self.transport = transport
        self.range = range
    }

    public init(_ transport: Transport, port: UInt16) {
        self.init(transport, PortRange(port: port))
    }

    public func matches(_ transport: Transport, _ port: UInt16) -> Bool {
        self.transport == transport && range.contains(port)
    }

    public static func < (lhs: PortSpec, rhs: PortSpec) -> Bool {
        lhs.transport != rhs.transport ? lhs.transport < rhs.transport : lhs.range < rhs.range
    }
}

extension PortSpec {
    /// Why a port spec could not be parsed.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case missingTransport(String)
        case unknownTransport(String)
        case badPort(String)
        case reversedRange(String)

        public var description: String {
            switch self {
            case .missingTransport(let text):
                return "\"\(text)\" has no transport; write it as tcp/PORT or udp/PORT"
            case .unknownTransport(let text):
                return "\"\(text)\" names an unknown transport; use tcp or udp"
            case .badPort(let text):
                return "\"\(text)\" is not a port or range within 1-65535"
            case .reversedRange(let text):
                return "\"\(text)\" is a reversed range; write the lower port first"
            }
        }
    }

    /// Parses `tcp/5432`, `udp/53`, `tcp/8000-8080`.
    public static func parse(_ text: String) -> Result<PortSpec, ParseError> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(.missingTransport(text)) }
        guard let transport = Transport(rawValue: parts[0].lowercased()) else {
            return .failure(.unknownTransport(text))
        }
        switch PortRange.parse(parts[1]) {
        case .success(let range): return .success(PortSpec(transport, range))
        case .failure(.reversed): return .failure(.reversedRange(text))
        case .failure(.invalid): return .failure(.badPort(text))
        }
    }
}

extension PortRange {
    public enum ParseFailure: Error { case invalid, reversed }

    /// Parses `PORT` or `LOW-HIGH`, each within 1...65535.
    public static func parse(_ input: some StringProtocol) -> Result<PortRange, ParseFailure> {
        let text = Substring(input)
        let bounds = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        func port(_ s: Substring) -> UInt16? {
            guard !s.isEmpty, s.count <= 5, s.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(s),
                v >= 1, v <= 65535
            else { return nil }
            return UInt16(v)
        }
        guard let low = port(bounds[0]) else { return .failure(.invalid) }
        if bounds.count == 1 { return .success(PortRange(port: low)) }
        guard let high = port(bounds[1]) else { return .failure(.invalid) }
        guard let range = PortRange(low, high) else { return .failure(.reversed) }
        return .success(range)
    }
}

extension PortSpec: CustomStringConvertible {
    public var description: String { "\(transport.rawValue)/\(range)" }
}

extension PortSpec: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch PortSpec.parse(text) {
        case .success(let spec): self = spec
        case .failure(let error):
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
