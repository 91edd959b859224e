import PortwardenCore

/// What host discovery concluded: per target, up (by which method), down (and why) or unreachable
/// from this machine, with the route's source address.
public struct DiscoveryResult: Sendable, Hashable {
    /// One entry per target, in the order given; `ranges` are empty (no port was scanned yet).
    public var hosts: [HostCoverage]
    /// The methods tried.
    public var methods: [HostDiscoveryMethod]
    /// What limited discovery (`ICMP: no raw or ping socket (EPERM); echo and timestamp skipped`).
    public var notes: [String]
    /// Requests sent (ICMP messages and TCP connection attempts).
    public var probesSent: Int

    /// Creates a result.
    public init(hosts: [HostCoverage], methods: [HostDiscoveryMethod], notes: [String] = [], probesSent: Int = 0) {
        self.hosts = hosts
        self.methods = methods
        self.notes = notes
        self.probesSent = probesSent
    }

    /// The targets found up, in order.
    public var upHosts: [IPAddress] { hosts.filter { $0.status == .up }.map(\.host) }
}
