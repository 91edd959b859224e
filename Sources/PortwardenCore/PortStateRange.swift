/// A run of consecutive ports of one host that ended in the same state for the same reason:
/// how a scan keeps thousands of closed or filtered ports in a few bytes (nmap's `extraports`).
///
/// JSON: `{"transport":"tcp","ports":"1-21","state":"filtered","reason":"no-response"}`.
public struct PortStateRange: Hashable, Sendable, Codable {
    public var transport: Transport
    public var ports: PortRange
    public var state: PortState
    /// The reason every port of the run shares (`no-response`, `conn-refused`, …).
    public var reason: String?

    public init(transport: Transport, ports: PortRange, state: PortState, reason: String? = nil) {
        self.transport = transport
        self.ports = ports
        self.state = state
        self.reason = reason
    }

    /// Whether `port` of `transport` can extend this run by one (next port, same state and reason).
    public func extends(_ transport: Transport, _ port: UInt16, _ state: PortState, _ reason: String?) -> Bool {
        self.transport == transport && self.state == state && self.reason == reason && ports.upper < UInt16.max
            && ports.upper + 1 == port
    }

    enum CodingKeys: String, CodingKey {
        case transport, ports, state, reason
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transport = try c.decode(Transport.self, forKey: .transport)
        let text = try c.decode(String.self, forKey: .ports)
        guard let range = PortRange(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .ports, in: c, debugDescription: "\"\(text)\" is not a port or a range LOW-HIGH")
        }
        ports = range
        state = try c.decode(PortState.self, forKey: .state)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(transport, forKey: .transport)
        try c.encode(ports.description, forKey: .ports)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(reason, forKey: .reason)
    }
}

extension PortRange {
    /// Parses `22` or `1-1024` (0…65535, lower first).
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let lower = parts.first.flatMap({ UInt16($0) }) else { return nil }
        if parts.count == 1 {
            self.init(port: lower)
            return
        }
        guard let upper = UInt16(parts[1]) else { return nil }
        self.init(lower, upper)
    }
}
