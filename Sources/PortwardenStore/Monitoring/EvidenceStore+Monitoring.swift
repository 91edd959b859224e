import Foundation

extension EvidenceStore {
    /// Commits a batch of the monitor in one write transaction: an alert whose fingerprint is stored moves
    /// `last_seen` and adds its count (it is not stored twice), usage deltas are added to the totals, and each
    /// input's offset is replaced, so that events and the position after them are committed together.
    @discardableResult
    public func commit(_ batch: MonitorBatch, at date: Date = Date()) throws -> MonitorCommitResult {
        try write(at: StoreClock.micros(date)) { writer in
            var result = MonitorCommitResult()
            for alert in batch.alerts {
                if var row = try writer.rows(StoreSchema.alerts, where: "fingerprint = ?", [.text(alert.fingerprint)])
                    .first, let stored = StoredAlert(row: row)
                {
                    var merged = alert
                    merged.firstSeen = min(stored.firstSeen, alert.firstSeen)
                    merged.lastSeen = max(stored.lastSeen, alert.lastSeen)
                    merged.count = stored.count + alert.count
                    merged.input = alert.input ?? stored.input
                    let delivered = row[15]
                    row = [row[0]] + merged.values
                    row[15] = delivered
                    try writer.update(StoreSchema.alerts, row)
                    result.repeatedAlerts += 1
                } else {
                    try writer.insert(StoreSchema.alerts, alert.values)
                    result.newAlerts += 1
                }
            }
            for delta in batch.usage {
                let key: [SQLValue] = [.text(delta.kind.rawValue), .text(delta.id)]
                if let row = try writer.rows(StoreSchema.serviceUsage, where: "kind = ? AND object_id = ?", key).first,
                    let stored = ServiceUsageRecord(row: row)
                {
                    try writer.update(StoreSchema.serviceUsage, [row[0]] + stored.adding(delta).values)
                } else {
                    let bounded = ServiceUsageRecord(
                        kind: delta.kind, id: delta.id, hits: 0, firstSeen: delta.firstSeen,
                        lastSeen: delta.lastSeen, sources: [], moreSources: false
                    ).adding(delta)
                    try writer.insert(StoreSchema.serviceUsage, bounded.values)
                }
                result.usageRows += 1
            }
            for offset in batch.offsets {
                let values = offset.values(updated: writer.time)
                if let row = try writer.rows(StoreSchema.logOffsets, where: "input = ?", [.text(offset.input)]).first {
                    if Array(row.dropFirst().dropLast()) != Array(values.dropLast()) {
                        try writer.update(StoreSchema.logOffsets, [row[0]] + values)
                    }
                } else {
                    try writer.insert(StoreSchema.logOffsets, values)
                }
                result.offsets += 1
            }
            return result
        }
    }

    /// The committed position of an input, if it was read before.
    public func logOffset(input: String) throws -> LogOffset? {
        try read { session in
            try session.query(
                "SELECT \(StoreSchema.logOffsets.selectList) FROM log_offsets WHERE input = ?", [.text(input)]
            ).first.flatMap(LogOffset.init(row:))
        }
    }

    /// Every input's committed position, by name.
    public func logOffsets() throws -> [LogOffset] {
        try read { session in
            try session.query("SELECT \(StoreSchema.logOffsets.selectList) FROM log_offsets ORDER BY input", [])
                .compactMap(LogOffset.init(row:))
        }
    }

    /// Stored alerts last seen at or after `since` (microseconds), most recent first.
    public func alerts(since: Int64 = 0) throws -> [StoredAlert] {
        try read { session in
            try session.query(
                "SELECT \(StoreSchema.alerts.selectList) FROM alerts WHERE last_seen >= ? "
                    + "ORDER BY last_seen DESC, fingerprint", [.integer(since)]
            ).compactMap(StoredAlert.init(row:))
        }
    }

    /// The use of every declared service and exception seen in traffic.
    public func serviceUsage() throws -> [ServiceUsageRecord] {
        try read { session in
            try session.query(
                "SELECT \(StoreSchema.serviceUsage.selectList) FROM service_usage ORDER BY kind, object_id", []
            ).compactMap(ServiceUsageRecord.init(row:))
        }
    }
}
