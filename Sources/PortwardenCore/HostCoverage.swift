/// What one target really got from a scan: up or down and why, the source address the probes
/// left from, and every probed port as runs of equal state.
///
/// The runs are the scan's coverage: a port absent from them was not probed. Open ports are runs
/// of one port; closed and filtered ports collapse into long runs, so a host scanned on all
/// 65,535 ports costs a few dozen bytes unless its answers alternate.
public struct HostCoverage: Hashable, Sendable, Codable {
    public var host: IPAddress
    public var status: HostStatus
    /// How the host was shown to be up (`nil` when it was not).
    public var method: HostDiscoveryMethod?
    /// Why the status was concluded, for a person: `echo-reply`, `syn-ack from tcp/443`,
    /// `no answer to icmp-echo, icmp-timestamp, tcp-syn/443, tcp-ack/80`,
    /// `no route from this machine (ENETUNREACH): check the routing table, vantage and source address`.
    public var reason: String
    /// The local address probes to this host were sent from (the route's source).
    public var sourceAddress: IPAddress?
    /// Every probed port, in probe-record order, as runs of equal state and reason.
    public var ranges: [PortStateRange]

    public init(
        host: IPAddress, status: HostStatus, method: HostDiscoveryMethod? = nil, reason: String,
        sourceAddress: IPAddress? = nil, ranges: [PortStateRange] = []
    ) {
        self.host = host
        self.status = status
        self.method = method
        self.reason = reason
        self.sourceAddress = sourceAddress
        self.ranges = ranges
    }

    /// Adds one probed port, extending the last run when it is the next port with the same state
    /// and reason (ports recorded in ascending order collapse best).
    public mutating func record(_ transport: Transport, _ port: UInt16, _ state: PortState, reason: String?) {
        if let last = ranges.indices.last, ranges[last].extends(transport, port, state, reason) {
            ranges[last].ports = PortRange(ranges[last].ports.lower, port) ?? ranges[last].ports
        } else {
            ranges.append(
                PortStateRange(transport: transport, ports: PortRange(port: port), state: state, reason: reason))
        }
    }

    /// Adds an observation's port (its host is not checked).
    public mutating func record(_ observation: Observation) {
        record(observation.transport, observation.port, observation.state, reason: observation.reason)
    }

    /// How many ports of `transport` were probed.
    public func probedPorts(_ transport: Transport) -> Int {
        ranges.reduce(0) { $0 + ($1.transport == transport ? $1.ports.count : 0) }
    }

    /// How many probed ports of `transport` ended in `state`.
    public func count(_ transport: Transport, _ state: PortState) -> Int {
        ranges.reduce(0) { $0 + ($1.transport == transport && $1.state == state ? $1.ports.count : 0) }
    }

    enum CodingKeys: String, CodingKey {
        case host, status, method, reason
        case sourceAddress = "source_address"
        case ranges
    }
}
