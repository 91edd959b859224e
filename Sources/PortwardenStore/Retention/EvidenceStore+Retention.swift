import Foundation
import PortwardenCore

extension EvidenceStore {
    /// Runs retention at `now`: rows finished before the hot window move out of the tables (their content
    /// stays in the month's records), whole months older than the hot window go to immutable compressed
    /// archives whose SHA-256 is chained, and archives older than the retention period are deleted — each
    /// step recorded in the chain.
    public func runRetention(_ policy: RetentionPolicy, now date: Date = Date()) throws -> RetentionRunResult {
        let now = StoreClock.micros(date)
        let cutoff = now - Int64(policy.hotDays) * RetentionPolicy.microsPerDay
        var result = RetentionRunResult()
        let expiry = now - Int64(policy.keepDays) * RetentionPolicy.microsPerDay
        result.rowsMoved = try write(at: now) { writer in
            try RetentionMover(writer: writer, cutoff: cutoff, keepCutoff: expiry).run()
        }
        while let month = try archiveNextMonth(cutoff: cutoff, now: now) { result.archivedMonths.append(month) }
        let (deleted, reanchored) = try deleteExpiredArchives(before: expiry, now: now, keepDays: policy.keepDays)
        result.deletedMonths = deleted
        result.reanchoredRows = reanchored
        _ = try write(at: now) { writer in
            try writer.insert(
                StoreSchema.retentionRuns,
                [
                    .integer(now), .integer(Int64(policy.hotDays)), .integer(Int64(policy.keepDays)),
                    .text(result.archivedMonths.joined(separator: ",")),
                    .text(result.deletedMonths.joined(separator: ",")),
                    .integer(Int64(result.rowsMoved)),
                ])
        }
        return result
    }

    /// Archives the oldest month of hot records when it ended before `cutoff`; returns its name.
    private func archiveNextMonth(cutoff: Int64, now: Int64) throws -> String? {
        let location = self.location
        return try write(at: now) { writer -> String? in
            let session = writer.session
            guard let first = try session.query("SELECT seq, time FROM audit_chain ORDER BY seq LIMIT 1", []).first,
                let firstTime = first[1].integer
            else { return nil }
            let day = CalendarDay(containing: StoreClock.date(firstTime))
            guard let monthStart = CalendarDay(year: day.year, month: day.month, day: 1) else { return nil }
            let monthEnd = StoreClock.micros(monthStart.adding(months: 1).start)
            guard monthEnd <= cutoff else { return nil }
            var records: [AuditRecord] = []
            var done = false
            try session.forEach(
                "SELECT seq, time, action, table_code, row_id, payload, prev_hash, hash FROM audit_chain ORDER BY seq",
                []
            ) { row in
                guard !done else { return }
                guard let seq = row[0].integer, let time = row[1].integer, time < monthEnd,
                    let action = row[2].integer.flatMap(AuditAction.init(rawValue:)), let table = row[3].integer,
                    let rowID = row[4].integer, let payload = row[5].blob, let previous = row[6].blob,
                    let hash = row[7].blob
                else {
                    done = true
                    return
                }
                records.append(
                    AuditRecord(
                        seq: seq, time: time, action: action, table: Int(table), rowID: rowID, payload: payload,
                        previousHash: previous, hash: hash))
            }
            guard let last = records.last, let firstRecord = records.first else { return nil }
            var month = StoreClock.month(firstTime)
            let taken = Set(try session.query("SELECT month FROM archives", []).compactMap { $0[0].text })
            var suffix = 2
            while taken.contains(month) {
                month = StoreClock.month(firstTime) + "-part\(suffix)"
                suffix += 1
            }
            let bytes = try ArchiveFile.encode(month: month, records: records)
            let file = "\(month).pwa.gz"
            try StoreOpener.makeDirectory(location.archiveDirectory)
            try Self.writeImmutable(bytes, path: location.archiveDirectory + "/" + file)
            try writer.insert(
                StoreSchema.archives,
                [
                    .text(month), .text(file), .text(ArchiveFile.sha256(bytes)), .integer(firstRecord.seq),
                    .integer(last.seq), .blob(last.hash), .integer(Int64(records.count)), .integer(0), .integer(now),
                    .null,
                ])
            try session.execute("DELETE FROM audit_chain WHERE seq <= ?", [.integer(last.seq)])
            return month
        }
    }

    private func deleteExpiredArchives(before expiry: Int64, now: Int64, keepDays: Int) throws -> ([String], Int) {
        let location = self.location
        return try write(at: now) { writer -> ([String], Int) in
            let session = writer.session
            var deleted: [String] = []
            var expiring: [[SQLValue]] = []
            for row in try writer.rows(StoreSchema.archives, where: "deleted IS NULL ORDER BY first_seq") {
                let path = location.archiveDirectory + "/" + (row[2].text ?? "")
                guard let data = FileManager.default.contents(atPath: path),
                    let decoded = try? ArchiveFile.decode([UInt8](data)), let lastTime = decoded.records.last?.time,
                    lastTime < expiry
                else { continue }
                expiring.append(row)
            }
            guard !expiring.isEmpty else { return ([], 0) }
            // Rows still live whose last record is in an archive are recorded again, so that they stay
            // verifiable once the archive is gone.
            var reanchored = 0
            for table in StoreSchema.tables {
                let rows = try writer.rows(
                    table,
                    where: "id NOT IN (SELECT row_id FROM audit_chain WHERE table_code = \(table.code))")
                for row in rows {
                    try writer.update(table, row)
                    reanchored += 1
                }
            }
            _ = session
            for var row in expiring {
                let path = location.archiveDirectory + "/" + (row[2].text ?? "")
                _ = unlink(path)
                row[10] = .integer(now)
                try writer.update(StoreSchema.archives, row)
                let month = row[1].text ?? ""
                writer.note("archive \(month) deleted past retention (\(keepDays) days)")
                deleted.append(month)
            }
            return (deleted, reanchored)
        }
    }

    static func writeImmutable(_ bytes: [UInt8], path: String) throws {
        let temporary = path + ".new"
        _ = unlink(temporary)
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o444]),
            let handle = FileHandle(forReadingAtPath: temporary)
        else { throw StoreError(.retention, "\(path): cannot write the archive") }
        fsync(handle.fileDescriptor)
        try? handle.close()
        _ = unlink(path)
        guard rename(temporary, path) == 0 else { throw StoreError(.retention, "\(path): cannot write the archive") }
    }
}

/// Deletes rows that finished before the hot window from the tables, recording each deletion. Segmentation
/// tests stay in the tables for the whole retention period (PCI DSS 11.4.1: results kept at least 12 months,
/// and the next test's due date is computed from them), and the latest test from each vantage stays for good.
struct RetentionMover {
    let writer: StoreWriter
    let cutoff: Int64
    let keepCutoff: Int64

    func run() throws -> Int {
        let hot = SQLValue.integer(cutoff)
        let kept = SQLValue.integer(keepCutoff)
        let plan: [(TableSchema, String, SQLValue)] = [
            (StoreSchema.scanHosts, "scan_id IN (SELECT id FROM scans WHERE started < ?)", hot),
            (StoreSchema.scans, "started < ?", hot),
            (StoreSchema.portIntervals, "ended IS NOT NULL AND ended < ?", hot),
            (StoreSchema.listenerIntervals, "ended IS NOT NULL AND ended < ?", hot),
            (StoreSchema.findingEvents, "time < ?", hot),
            (StoreSchema.flowEvents, "time < ?", hot),
            (StoreSchema.alerts, "last_seen < ?", hot),
            (
                StoreSchema.segmentationTests,
                "finished < ? AND id NOT IN (SELECT MAX(id) FROM segmentation_tests GROUP BY vantage)", kept
            ),
        ]
        var moved = 0
        for (table, condition, c) in plan {
            for row in try writer.rows(table, where: condition, [c]) {
                try writer.delete(table, row)
                moved += 1
            }
            if moved > 0 { try writer.reserveIDs(table) }
        }
        return moved
    }
}
