/// What the monitor commits in one transaction: the alerts raised, the usage counted and the offsets of
/// the inputs that produced them.
public struct MonitorBatch: Sendable {
    public var alerts: [StoredAlert]
    /// Usage since the last commit (deltas).
    public var usage: [ServiceUsageRecord]
    /// The new position of each input read (absolute).
    public var offsets: [LogOffset]

    public init(alerts: [StoredAlert] = [], usage: [ServiceUsageRecord] = [], offsets: [LogOffset] = []) {
        self.alerts = alerts
        self.usage = usage
        self.offsets = offsets
    }

    public var isEmpty: Bool { alerts.isEmpty && usage.isEmpty && offsets.isEmpty }
}

/// What committing a batch changed.
public struct MonitorCommitResult: Sendable, Hashable {
    public var newAlerts = 0
    public var repeatedAlerts = 0
    public var usageRows = 0
    public var offsets = 0
}
