import Foundation
import PortwardenCore

/// An alert of the monitor as the store keeps it: one row per fingerprint, with when it was first and last
/// seen and how many events raised it.
public struct StoredAlert: Sendable, Hashable {
    public var fingerprint: String
    public var rule: String
    public var severity: String
    /// Requirement ids, comma-separated as stored (`1.2.5,1.3.1`).
    public var requirements: [String]
    public var zone: String?
    public var host: String?
    public var transport: String?
    public var port: Int64?
    public var subject: String?
    public var message: String
    /// The log input that last raised it.
    public var input: String?
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var count: Int64

    /// The row of an alert raised `count` times between `firstSeen` and `lastSeen` by events of `input`.
    public init(finding: Finding, input: String?, firstSeen: Date, lastSeen: Date, count: Int) {
        fingerprint = finding.fingerprint
        rule = finding.rule
        severity = finding.severity.rawValue
        requirements = finding.requirements.map(\.id)
        zone = finding.zone
        host = finding.host?.description
        transport = finding.transport?.rawValue
        port = finding.port.map { Int64($0) }
        subject = finding.subject
        message = finding.message
        self.input = input
        self.firstSeen = StoreClock.micros(firstSeen)
        self.lastSeen = StoreClock.micros(lastSeen)
        self.count = Int64(count)
    }

    init?(row: [SQLValue]) {
        guard row.count == 16, let fingerprint = row[1].text, let rule = row[2].text, let severity = row[3].text,
            let requirements = row[4].text, let message = row[10].text, let firstSeen = row[12].integer,
            let lastSeen = row[13].integer, let count = row[14].integer
        else { return nil }
        self.fingerprint = fingerprint
        self.rule = rule
        self.severity = severity
        self.requirements = requirements.split(separator: ",").map(String.init)
        zone = row[5].text
        host = row[6].text
        transport = row[7].text
        port = row[8].integer
        subject = row[9].text
        self.message = message
        input = row[11].text
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
    }

    /// The values after `id`, in column order (`delivered` last).
    var values: [SQLValue] {
        [
            .text(fingerprint), .text(rule), .text(severity), .text(requirements.joined(separator: ",")),
            .optional(zone), .optional(host), .optional(transport), .optional(port), .optional(subject),
            .text(message), .optional(input), .integer(firstSeen), .integer(lastSeen), .integer(count), .null,
        ]
    }
}
