import PortwardenCore

/// Everything one run of the scan pipeline (discovery → TCP scan → UDP → detection) needs: the
/// targets (already scoped), the ports, and the engines' knobs. Libraries never read flags or the
/// environment; the CLI (or the server) fills this in.
public struct ScanPlan: Sendable {
    /// Which non-open results reach the observation stream. Every result always reaches the
    /// scan record's per-host state ranges.
    public enum KeptResults: Sendable, Hashable {
        /// Every probed port (scan output: closed and filtered ports are segmentation evidence).
        case all
        /// Open ports, and closed/filtered ones only on these (transport, port) pairs: what an
        /// audit needs for "declared but not seen" without a million filtered observations.
        case openAnd(Set<PortSpec>)
    }

    /// The targets, in output order.
    public var hosts: [IPAddress]
    /// TCP ports to scan on every live host (empty: no TCP pass).
    public var tcpPorts: [UInt16]
    /// The TCP port list in the user's notation, for the record.
    public var tcpPortSpec: String?
    /// Host discovery before the port scan, or `nil` to scan every routable target in full.
    public var discovery: DiscoveryConfiguration?
    /// With fewer targets than this, discovery is skipped: probing them in full costs less.
    public var discoveryThreshold = 4
    /// The connect engine's knobs (also the SYN engine's).
    public var connect: ScanConfiguration
    /// Use the raw SYN engine when it is available (root or CAP_NET_RAW, IPv4 targets).
    public var syn = false
    /// UDP ports for a UDP pass over the live hosts (empty: none).
    public var udpPorts: [UInt16] = []
    /// The UDP engine's knobs.
    public var udp = UDPScanConfiguration()
    /// Run service detection on open TCP ports.
    public var detection = false
    /// How detection probes (timeouts, concurrency, the DNS zones to ask for a transfer).
    public var detectionSettings = DetectionConfiguration()
    /// Which results reach the observation stream.
    public var kept: KeptResults = .all
    /// The command line, for the record.
    public var arguments: [String] = []
    /// The timing profile's name, for the record.
    public var profile = "default"
    /// The scanner's version, for the record.
    public var toolVersion: String

    /// Creates a plan with the given targets and TCP ports.
    public init(hosts: [IPAddress], tcpPorts: [UInt16], connect: ScanConfiguration, toolVersion: String) {
        self.hosts = hosts
        self.tcpPorts = tcpPorts
        self.connect = connect
        self.toolVersion = toolVersion
    }

    /// Whether an observation goes to the stream.
    func keeps(_ observation: Observation) -> Bool {
        switch kept {
        case .all: return true
        case .openAnd(let ports):
            return observation.state == .open || observation.state == .openFiltered
                || ports.contains(PortSpec(observation.transport, port: observation.port))
        }
    }
}
