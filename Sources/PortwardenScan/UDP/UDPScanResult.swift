import PortwardenCore

/// The outcome of a UDP scan: one observation per (host, port), and counters.
public struct UDPScanResult: Sendable {
    /// One observation per scanned (host, port), transport `.udp`, sorted by host then port.
    public var observations: [Observation]
    /// What the engine did to get them.
    public var statistics: ScanStatistics

    /// Creates a result.
    public init(observations: [Observation], statistics: ScanStatistics) {
        self.observations = observations
        self.statistics = statistics
    }
}
