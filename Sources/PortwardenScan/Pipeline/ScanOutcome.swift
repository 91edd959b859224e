import PortwardenCore

/// What one pipeline run produced besides the observation stream.
public struct ScanOutcome: Sendable, Hashable {
    /// The scan's record of itself: parameters, source addresses, per-host status and coverage.
    public var record: ScanRecord
    /// TCP probes, UDP datagrams and discovery requests sent.
    public var probesSent: Int
    /// The TCP engine's counters, when a TCP pass ran.
    public var tcpStatistics: ScanStatistics?

    /// Creates an outcome.
    public init(record: ScanRecord, probesSent: Int, tcpStatistics: ScanStatistics?) {
        self.record = record
        self.probesSent = probesSent
        self.tcpStatistics = tcpStatistics
    }
}
