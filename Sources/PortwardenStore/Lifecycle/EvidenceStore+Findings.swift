import Foundation
import PortwardenCore

extension EvidenceStore {
    /// Folds an evaluation's findings into the lifecycle: new fingerprints open, seen ones move `last_seen`,
    /// resolved or excepted ones that return reopen. With `complete` (the evaluation covered the whole
    /// policy), open and acknowledged findings it no longer reports become resolved, or excepted when an
    /// approved exception in the store now covers them.
    @discardableResult
    public func ingest(
        findings: [Finding], at date: Date, complete: Bool, actor: String
    ) throws
        -> FindingIngestResult
    {
        let time = StoreClock.micros(date)
        return try write(at: time) { writer in
            var result = FindingIngestResult()
            let table = StoreSchema.findings
            var stored: [String: [SQLValue]] = [:]
            for row in try writer.rows(table) { if let key = row[1].text { stored[key] = row } }
            var reported: Set<String> = []
            for finding in findings where !reported.contains(finding.fingerprint) {
                reported.insert(finding.fingerprint)
                if var row = stored[finding.fingerprint] {
                    let status = row[10].text.flatMap(FindingStatus.init(rawValue:)) ?? .open
                    row[3] = .text(finding.severity.rawValue)
                    row[9] = .text(finding.message)
                    row[14] = .integer(time)
                    row[15] = .integer(time)
                    if status == .resolved || status == .excepted {
                        row[10] = .text(FindingStatus.open.rawValue)
                        row[11] = .text("reported again")
                        row[12] = .text(actor)
                        try event(writer, finding.fingerprint, .open, actor: actor, reason: "reported again")
                        result.reopened += 1
                    } else {
                        result.seenAgain += 1
                    }
                    try writer.update(table, row)
                } else {
                    try writer.insert(
                        table,
                        [
                            .text(finding.fingerprint), .text(finding.rule), .text(finding.severity.rawValue),
                            .optional(finding.zone), .optional(finding.host?.description),
                            .optional(finding.transport?.rawValue), .optional(finding.port.map { Int64($0) }),
                            .optional(finding.subject), .text(finding.message), .text(FindingStatus.open.rawValue),
                            .null, .null, .integer(time), .integer(time), .integer(time),
                        ])
                    try event(writer, finding.fingerprint, .open, actor: actor, reason: "first reported")
                    result.new += 1
                }
            }
            guard complete else { return result }
            let exceptions = try ExceptionLifecycle.approved(writer, at: time)
            for (fingerprint, var row) in stored.sorted(by: { $0.key < $1.key }) where !reported.contains(fingerprint) {
                let status = row[10].text.flatMap(FindingStatus.init(rawValue:)) ?? .open
                guard status == .open || status == .acknowledged else { continue }
                let covering = exceptions.first {
                    $0.covers(zone: row[4].text, host: row[5].text, transport: row[6].text, port: row[7].integer)
                }
                let next: FindingStatus = covering == nil ? .resolved : .excepted
                let reason = covering.map { "covered by exception \($0.id)" } ?? "no longer reported"
                row[10] = .text(next.rawValue)
                row[11] = .text(reason)
                row[12] = .text(actor)
                row[15] = .integer(time)
                try writer.update(table, row)
                try event(writer, fingerprint, next, actor: actor, reason: reason)
                if next == .resolved { result.resolved += 1 } else { result.excepted += 1 }
            }
            return result
        }
    }

    /// Acknowledges an open finding with a reason.
    public func acknowledge(fingerprint: String, reason: String, by actor: String, at date: Date = Date()) throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError(.lifecycle, "an acknowledgement needs a reason (--reason)")
        }
        let time = StoreClock.micros(date)
        try write(at: time) { writer in
            let table = StoreSchema.findings
            guard var row = try writer.rows(table, where: "fingerprint = ?", [.text(fingerprint)]).first else {
                throw StoreError(.lifecycle, "no finding with fingerprint \(fingerprint)")
            }
            guard row[10].text == FindingStatus.open.rawValue || row[10].text == FindingStatus.acknowledged.rawValue
            else {
                throw StoreError(
                    .lifecycle, "finding \(fingerprint) is \(row[10].text ?? "?"); only open findings are acknowledged")
            }
            row[10] = .text(FindingStatus.acknowledged.rawValue)
            row[11] = .text(reason)
            row[12] = .text(actor)
            row[15] = .integer(time)
            try writer.update(table, row)
            try event(writer, fingerprint, .acknowledged, actor: actor, reason: reason)
        }
    }

    /// Stored findings, optionally of one status, most recently seen first.
    public func findings(status: FindingStatus? = nil) throws -> [StoredFinding] {
        try read { session in
            let table = StoreSchema.findings
            var sql = "SELECT \(table.selectList) FROM findings"
            var values: [SQLValue] = []
            if let status {
                sql += " WHERE status = ?"
                values.append(.text(status.rawValue))
            }
            sql += " ORDER BY last_seen DESC, fingerprint"
            return try session.query(sql, values).compactMap(StoredFinding.init(row:))
        }
    }

    /// The lifecycle transitions of a finding, oldest first.
    public func findingHistory(fingerprint: String) throws -> [FindingEvent] {
        try read { session in
            try session.query(
                "SELECT time, status, actor, reason FROM finding_events WHERE fingerprint = ? ORDER BY id",
                [.text(fingerprint)]
            ).map {
                FindingEvent(time: $0[0].integer ?? 0, status: $0[1].text ?? "", actor: $0[2].text, reason: $0[3].text)
            }
        }
    }

    private func event(
        _ writer: StoreWriter, _ fingerprint: String, _ status: FindingStatus, actor: String, reason: String
    ) throws {
        try writer.insert(
            StoreSchema.findingEvents,
            [.text(fingerprint), .integer(writer.time), .text(status.rawValue), .text(actor), .text(reason)])
    }
}
