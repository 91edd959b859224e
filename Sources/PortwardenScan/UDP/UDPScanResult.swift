import PortwardenCore

/// The outcome of a UDP scan: one observation per (host, port), and counters.
public struct UDPScanResult: Sendable {
    /// One observation per scanned (host, port), transport `.udp`, sorted by host then port.
    public var observations: [Observation]
    /// What the engine did to get them.
    public var statistics: UDPScanStatistics

    /// Creates a result.
    public init(observations: [Observation], statistics: UDPScanStatistics) {
        self.observations = observations
        self.statistics = statistics
    }
}

/// Counters of a UDP scan, for the CLI summary and the audit log.
public struct UDPScanStatistics: Sendable, Equatable {
    /// (host, port) pairs scanned.
    public var probes = 0
    /// Datagrams sent, retransmissions and multi-payload probes included.
    public var datagramsSent = 0
    /// Probes sent again after a timeout.
    public var retransmissions = 0
    /// Datagrams received.
    public var responses = 0
    /// ICMP errors read from error queues.
    public var icmpErrors = 0
    /// Replies no payload recogniser understood (the port is still open).
    public var unrecognisedReplies = 0
    /// Times a probe was put back because of local pressure (`EMFILE`, `ENOBUFS`, `EAGAIN`).
    public var localRequeues = 0
    /// The effective window after shrinking on `EMFILE`.
    public var finalMaxInFlight = 0
    /// Wall time of the scan.
    public var elapsed: Duration = .zero
    /// Per host: the final RTT estimate (nmap XML `times`), for hosts that answered.
    public var timings: [IPAddress: UDPHostTiming] = [:]

    /// Creates empty counters.
    public init() {}
}

/// A host's RTT estimate in microseconds (RFC 6298 as nmap's `adjust_timeouts2`).
public struct UDPHostTiming: Sendable, Equatable {
    /// Smoothed RTT.
    public var srtt: Int
    /// RTT variance.
    public var rttvar: Int
    /// The timeout derived from them.
    public var timeout: Int

    /// Creates a timing record.
    public init(srtt: Int, rttvar: Int, timeout: Int) {
        self.srtt = srtt
        self.rttvar = rttvar
        self.timeout = timeout
    }
}
