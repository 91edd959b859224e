import Foundation
import PortwardenCore

/// The PCI DSS 10.5.1 evidence: how far back evidence goes per source, what the hot tier covers, which
/// months have no evidence, and whether the chain verifies.
public struct RetentionReport: Sendable {
    public struct Source: Sendable, Hashable {
        /// `scan:audit`, `scan:inventory`, `table:findings`, …
        public var name: String
        public var oldest: Int64
        public var archived: Bool
    }

    public var now: Int64
    public var oldestRecord: Int64?
    public var oldestHotRecord: Int64?
    public var sources: [Source]
    public var archives: [(month: String, records: Int64, sha256: String, deleted: Bool)]
    /// Months between the oldest evidence and now with no record at all.
    public var gaps: [String]
    public var hotDays: Int
    public var verification: VerificationReport

    /// Days the hot tier reaches back.
    public var hotCoverageDays: Double {
        guard let oldestHotRecord else { return 0 }
        return Double(now - oldestHotRecord) / Double(RetentionPolicy.microsPerDay)
    }
}

extension EvidenceStore {
    /// Builds the retention report at `now`.
    public func retentionReport(
        hotDays: Int = RetentionPolicy.minimumHotDays, now date: Date = Date()
    ) throws
        -> RetentionReport
    {
        let now = StoreClock.micros(date)
        let verification = try ChainVerifier(store: self).verify()
        let reader = ArchiveReader(location: location)
        return try read { session in
            var months: Set<String> = []
            var oldestRecord: Int64?
            let oldestHot = try session.scalar("SELECT MIN(time) FROM audit_chain")?.integer
            try session.forEach("SELECT DISTINCT time / 86400000000 FROM audit_chain", []) { row in
                if let day = row[0].integer { months.insert(StoreClock.month(day * RetentionPolicy.microsPerDay)) }
            }
            var archives: [(String, Int64, String, Bool)] = []
            for entry in try reader.catalogue(session) {
                archives.append((entry.month, entry.lastSeq - entry.firstSeq + 1, entry.sha256, entry.deleted))
                if case .records(let records, _) = entry.content {
                    for record in records { months.insert(StoreClock.month(record.time)) }
                    if let first = records.first?.time { oldestRecord = min(oldestRecord ?? first, first) }
                }
            }
            if let oldestHot { oldestRecord = min(oldestRecord ?? oldestHot, oldestHot) }
            var sources: [RetentionReport.Source] = []
            var oldestScan: [String: (Int64, Bool)] = [:]
            for row in try session.query("SELECT kind, MIN(started) FROM scans GROUP BY kind", []) {
                if let kind = row[0].text, let time = row[1].integer { oldestScan[kind] = (time, false) }
            }
            for row in try reader.rows(of: StoreSchema.scans) {
                guard let kind = row[11].text, let time = row[1].integer else { continue }
                if time < (oldestScan[kind]?.0 ?? .max) { oldestScan[kind] = (time, true) }
            }
            for (kind, value) in oldestScan.sorted(by: { $0.key < $1.key }) {
                sources.append(.init(name: "scan:\(kind)", oldest: value.0, archived: value.1))
            }
            for (table, column) in [
                (StoreSchema.findingEvents, "time"), (StoreSchema.changeRecords, "time"),
                (StoreSchema.reviews, "started"), (StoreSchema.exceptions, "requested"),
                (StoreSchema.segmentationTests, "finished"), (StoreSchema.rulesetLoads, "time"),
            ] where try Self.has(table, session) {
                if let time = try session.scalar("SELECT MIN(\(column)) FROM \(table.name)")?.integer {
                    sources.append(.init(name: "table:\(table.name)", oldest: time, archived: false))
                }
            }
            var gaps: [String] = []
            if let oldestRecord {
                var day = CalendarDay(containing: StoreClock.date(oldestRecord))
                let last = CalendarDay(containing: StoreClock.date(now))
                while day <= last {
                    let month = String(format: "%04d-%02d", day.year, day.month)
                    if !months.contains(month) { gaps.append(month) }
                    day =
                        CalendarDay(year: day.year, month: day.month, day: 1)?.adding(months: 1) ?? last.adding(days: 1)
                }
            }
            return RetentionReport(
                now: now, oldestRecord: oldestRecord, oldestHotRecord: oldestHot, sources: sources,
                archives: archives.map { (month: $0.0, records: $0.1, sha256: $0.2, deleted: $0.3) }, gaps: gaps,
                hotDays: hotDays, verification: verification)
        }
    }
}
