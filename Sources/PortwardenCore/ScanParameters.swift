/// The knobs a scan ran with, as the user gave them or the profile set them.
public struct ScanParameters: Hashable, Sendable, Codable {
    /// The command line (program name first), so the run can be repeated.
    public var arguments: [String]
    /// `connect` or `syn` (the engine that actually ran, after any fallback).
    public var engine: String
    /// The timing profile (`default`, `fast`).
    public var profile: String
    /// TCP ports asked for, in the user's notation (`all`, `top-1000`, `22,80`); `nil` for none.
    public var tcpPorts: String?
    /// How many TCP ports that is.
    public var tcpPortCount: Int
    /// UDP ports asked for (count), 0 when no UDP pass ran.
    public var udpPortCount: Int
    /// The discovery methods tried, in order (`icmp-echo`, `tcp-syn`, …); empty without discovery.
    public var discovery: [HostDiscoveryMethod]
    /// Probes per second cap, when set.
    public var maxRate: Int?
    /// The in-flight window.
    public var maxInFlight: Int
    /// The most retransmissions of a silent probe.
    public var maxRetries: Int
    /// The probe-order seed.
    public var seed: UInt64
    /// Whether service detection ran on open ports.
    public var detection: Bool

    public init(
        arguments: [String] = [], engine: String = "connect", profile: String = "default", tcpPorts: String? = nil,
        tcpPortCount: Int = 0, udpPortCount: Int = 0, discovery: [HostDiscoveryMethod] = [], maxRate: Int? = nil,
        maxInFlight: Int = 0, maxRetries: Int = 0, seed: UInt64 = 0, detection: Bool = false
    ) {
        self.arguments = arguments
        self.engine = engine
        self.profile = profile
        self.tcpPorts = tcpPorts
        self.tcpPortCount = tcpPortCount
        self.udpPortCount = udpPortCount
        self.discovery = discovery
        self.maxRate = maxRate
        self.maxInFlight = maxInFlight
        self.maxRetries = maxRetries
        self.seed = seed
        self.detection = detection
    }

    enum CodingKeys: String, CodingKey {
        case arguments, engine, profile
        case tcpPorts = "tcp_ports"
        case tcpPortCount = "tcp_port_count"
        case udpPortCount = "udp_port_count"
        case discovery
        case maxRate = "max_rate"
        case maxInFlight = "max_in_flight"
        case maxRetries = "max_retries"
        case seed, detection
    }
}
