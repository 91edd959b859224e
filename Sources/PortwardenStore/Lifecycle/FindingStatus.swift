/// Where a finding is in its lifecycle.
public enum FindingStatus: String, Sendable, CaseIterable {
    /// Reported by the latest evaluation and not acknowledged.
    case open
    /// A person has seen it and said why it stays for now (the reason is kept).
    case acknowledged
    /// No longer reported by a complete evaluation.
    case resolved
    /// No longer reported because an approved exception now covers it.
    case excepted
}

/// One stored finding with its lifecycle.
public struct StoredFinding: Sendable, Hashable {
    public var fingerprint: String
    public var rule: String
    public var severity: String
    public var zone: String?
    public var host: String?
    public var transport: String?
    public var port: Int64?
    public var subject: String?
    public var message: String
    public var status: FindingStatus
    public var statusReason: String?
    public var statusBy: String?
    public var firstSeen: Int64
    public var lastSeen: Int64

    init?(row: [SQLValue]) {
        guard row.count == 16, let fingerprint = row[1].text, let rule = row[2].text, let severity = row[3].text,
            let message = row[9].text, let status = row[10].text.flatMap(FindingStatus.init(rawValue:)),
            let firstSeen = row[13].integer, let lastSeen = row[14].integer
        else { return nil }
        self.fingerprint = fingerprint
        self.rule = rule
        self.severity = severity
        zone = row[4].text
        host = row[5].text
        transport = row[6].text
        port = row[7].integer
        subject = row[8].text
        self.message = message
        self.status = status
        statusReason = row[11].text
        statusBy = row[12].text
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// One lifecycle transition of a finding.
public struct FindingEvent: Sendable, Hashable {
    public var time: Int64
    public var status: String
    public var actor: String?
    public var reason: String?
}

/// What ingesting an evaluation changed.
public struct FindingIngestResult: Sendable, Hashable {
    public var new = 0
    public var reopened = 0
    public var seenAgain = 0
    public var resolved = 0
    public var excepted = 0
}
