import PortwardenCore

/// The RTT estimator's final values for one host (nmap XML `times`).
public struct HostTiming: Sendable, Hashable {
    /// The host.
    public var host: IPAddress
    /// The smoothed round-trip time, or `nil` when no SYN-ACK or RST came back.
    public var srtt: Duration?
    /// The round-trip time variance.
    public var rttvar: Duration?
    /// The probe timeout in force at the end.
    public var timeout: Duration
    /// How many RTT samples the host gave.
    public var samples: Int

    /// Creates a timing record.
    public init(host: IPAddress, srtt: Duration?, rttvar: Duration?, timeout: Duration, samples: Int) {
        self.host = host
        self.srtt = srtt
        self.rttvar = rttvar
        self.timeout = timeout
        self.samples = samples
    }
}

/// Counters of a finished scan, for every transport (connect, raw SYN, UDP); a counter a transport
/// has no use for stays 0.
public struct ScanStatistics: Sendable, Hashable {
    /// Probes sent: connection attempts, SYN packets or UDP probe sockets (first tries and retries,
    /// not requeues that never left).
    public var probesSent = 0
    /// Retransmissions of silent probes.
    public var retries = 0
    /// Ports found open.
    public var open = 0
    /// Ports found closed.
    public var closed = 0
    /// Ports found filtered (UDP: `open|filtered` included).
    public var filtered = 0
    /// UDP: datagrams sent (a probe may send several: SNMP v1, v2c and v3; a second round trip).
    public var datagramsSent = 0
    /// UDP: datagrams received from the targets.
    public var responses = 0
    /// UDP: ICMP errors read from the sockets' error queues.
    public var icmpErrors = 0
    /// UDP: replies no payload recogniser understood (the port is still open).
    public var unrecognisedReplies = 0
    /// Probes put back because of local resource pressure (all causes).
    public var requeued = 0
    /// Requeues caused by `EADDRNOTAVAIL` (no free source port).
    public var addressNotAvailable = 0
    /// Requeues caused by `EMFILE`/`ENFILE` (out of descriptors).
    public var outOfDescriptors = 0
    /// Self-connects seen (treated as timeouts and retried).
    public var selfConnects = 0
    /// Probes settled at their deadline by an ICMP error the kernel kept as a soft error
    /// (`SO_ERROR` read before giving up) instead of waking the engine when it arrived.
    public var lateICMPErrors = 0
    /// Probes refused by this host's own output firewall (`EPERM`).
    public var localPolicyDrops = 0
    /// Probes whose `connect()` failed at once with `ENETUNREACH`/`EHOSTUNREACH`: our own routing
    /// table had no way there. They are errors of the scan and produce no observation.
    public var noRouteProbes = 0
    /// The hosts such probes were meant for, in the order first seen.
    public var unroutableHosts: [IPAddress] = []
    /// Hosts abandoned because of the host timeout.
    public var hostsTimedOut = 0
    /// Hosts flagged as tarpits / wildcard responders (``TarpitRule``), in the order they were
    /// flagged. Their ports that were not probed are `filtered` with reason `tarpit`.
    public var tarpitHosts: [IPAddress] = []
    /// The window the engine started with (after the open-file limit).
    public var initialWindow = 0
    /// The smallest window the engine shrank to.
    public var smallestWindow = 0
    /// The most probes that were in flight at once.
    public var peakInFlight = 0
    /// The largest per-host in-flight cap any host grew to (0 when none grew).
    public var largestHostCap = 0
    /// How often a host's cap was halved because an answer came only to a retransmission.
    public var hostCapShrinks = 0
    /// Wall time of the run.
    public var elapsed: Duration = .zero
    /// Whether the scan was stopped by a ``ScanCancellation`` before every probe concluded; the
    /// observations then hold only the probes that did.
    public var interrupted = false
    /// The RTT estimator of each host.
    public var perHost: [HostTiming] = []

    /// Creates empty statistics.
    public init() {}
}

/// A progress report, delivered from the scanning thread about four times a second.
public struct ScanProgress: Sendable, Hashable {
    /// (host, port) pairs finished.
    public var done: Int
    /// (host, port) pairs in the scan.
    public var total: Int
    /// Open ports found so far.
    public var open: Int
    /// Probes per second since the start.
    public var rate: Double
    /// Estimated time left, or `nil` before anything finished.
    public var eta: Duration?

    /// Creates a progress report.
    public init(done: Int, total: Int, open: Int, rate: Double, eta: Duration?) {
        self.done = done
        self.total = total
        self.open = open
        self.rate = rate
        self.eta = eta
    }
}

/// What a scan found: one observation per (host, port), and the run's counters.
public struct ScanResult: Sendable, Hashable {
    /// One observation per scanned (host, port), ordered by host then port; closed and filtered
    /// ports included (the CLI filters).
    public var observations: [Observation]
    /// The run's counters and per-host timing.
    public var statistics: ScanStatistics

    /// Creates a result.
    public init(observations: [Observation], statistics: ScanStatistics) {
        self.observations = observations
        self.statistics = statistics
    }
}
