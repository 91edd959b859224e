/// The acknowledgement of one day's log review (PCI DSS 10.4.1).
public struct DailyReview: Sendable, Hashable {
    /// The day reviewed, `YYYY-MM-DD` (UTC).
    public var day: String
    public var reviewer: String
    /// When it was acknowledged, in microseconds.
    public var acknowledged: Int64
    public var note: String?
    /// The alerts the summary listed.
    public var alerts: Int64
    /// The SHA-256 (hex) of the summary text the reviewer acknowledged.
    public var summarySHA256: String

    public init(day: String, reviewer: String, acknowledged: Int64, note: String?, alerts: Int64, summarySHA256: String)
    {
        self.day = day
        self.reviewer = reviewer
        self.acknowledged = acknowledged
        self.note = note
        self.alerts = alerts
        self.summarySHA256 = summarySHA256
    }

    init?(row: [SQLValue]) {
        guard row.count == 7, let day = row[1].text, let reviewer = row[2].text, let time = row[3].integer,
            let alerts = row[5].integer, let hash = row[6].text
        else { return nil }
        self.init(
            day: day, reviewer: reviewer, acknowledged: time, note: row[4].text, alerts: alerts, summarySHA256: hash)
    }
}
