/// The one way evidence is written: inside a write transaction, every insert, update and delete of a
/// chained table appends its audit record, and `finish` writes the records and a signed checkpoint in the
/// same transaction, so that a write and its record are committed together or not at all.
public final class StoreWriter {
    let session: any SQLSession
    /// The time of the transaction, in microseconds; every record of it carries this time.
    public let time: Int64
    private var seq: Int64
    private var head: [UInt8]
    private var nextIDs: [Int: Int64] = [:]
    private var records: [AuditRecord] = []
    private var pendingInserts: [Int: [[SQLValue]]] = [:]
    /// Full rows to write back per table with the columns each changes (bit `i`: position `i` of the full
    /// row), and where each id sits in its list (an id is updated once: a later update of the same row
    /// replaces the earlier one, and changes the columns of both).
    private var pendingUpdates: [Int: [(row: [SQLValue], changed: UInt64)]] = [:]
    private var pendingUpdateIndex: [Int: [Int64: Int]] = [:]

    init(session: any SQLSession, time: Int64) throws {
        self.session = session
        self.time = time
        if let last = try session.query("SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1", []).first,
            let seq = last[0].integer, let hash = last[1].blob
        {
            self.seq = seq
            self.head = hash
        } else {
            self.seq = 0
            self.head = AuditRecord.genesis
        }
    }

    /// The number of audit records this transaction appends.
    public var recordCount: Int { records.count }

    /// Inserts a row (values after `id`, in column order) and returns its id.
    @discardableResult
    public func insert(_ table: TableSchema, _ values: [SQLValue]) throws -> Int64 {
        guard values.count == table.columns.count else {
            throw StoreError(.input, "\(table.name): \(values.count) values for \(table.columns.count) columns")
        }
        let id = try nextID(table)
        let row = [SQLValue.integer(id)] + values
        pendingInserts[table.code, default: []].append(row)
        append(.insert, table: table.code, rowID: id, payload: CanonicalEncoding.row(row))
        if pendingInserts[table.code, default: []].count >= 5000 { try flush(table) }
        return id
    }

    /// Replaces every column of row `id` (a full row, `id` first, as read with `table.selectList`). With
    /// `previous`, the row as it is stored now (read in this transaction), only the columns that differ
    /// from it are written, so that an update of `last_seen` touches no index; the record holds the full
    /// row either way.
    public func update(_ table: TableSchema, _ row: [SQLValue], previous: [SQLValue]? = nil) throws {
        guard row.count == table.columns.count + 1, let id = row[0].integer else {
            throw StoreError(.input, "\(table.name): an update needs the full row")
        }
        let changed = Self.changedColumns(row, previous: previous)
        if let index = pendingUpdateIndex[table.code]?[id] {
            pendingUpdates[table.code]?[index].row = row
            pendingUpdates[table.code]?[index].changed |= changed
        } else {
            pendingUpdateIndex[table.code, default: [:]][id] = pendingUpdates[table.code, default: []].count
            pendingUpdates[table.code, default: []].append((row, changed))
        }
        append(.update, table: table.code, rowID: id, payload: CanonicalEncoding.row(row))
        if pendingUpdates[table.code, default: []].count >= 5000 { try flush(table) }
    }

    /// Removes row `id` (the full row as it was, for the record).
    public func delete(_ table: TableSchema, _ row: [SQLValue]) throws {
        guard let id = row.first?.integer else { throw StoreError(.input, "\(table.name): a delete needs the row") }
        try flush(table)
        try session.execute("DELETE FROM \(table.name) WHERE id = ?", [.integer(id)])
        append(.delete, table: table.code, rowID: id, payload: CanonicalEncoding.row(row))
    }

    /// Records an event that has no row of its own.
    public func note(_ text: String) {
        append(.note, table: 0, rowID: 0, payload: Array(text.utf8))
    }

    /// Reads rows of a chained table (`id` first); pending inserts are written first so that reads see them.
    public func rows(
        _ table: TableSchema, where condition: String = "1 = 1", _ values: [SQLValue] = []
    )
        throws -> [[SQLValue]]
    {
        try flush(table)
        return try session.query("SELECT \(table.selectList) FROM \(table.name) WHERE \(condition)", values)
    }

    /// Writes pending rows and records, then a checkpoint signed by `signer`. Returns the last record.
    func finish(signer: ChainSigner) throws -> AuditRecord? {
        for table in StoreSchema.tables { try flush(table) }
        guard let last = records.last else { return nil }
        try session.insertMany(table: "audit_chain", columns: AuditRecord.columns, rows: records.map(\.values))
        let signature = try signer.sign(seq: last.seq, hash: last.hash, time: time)
        try session.execute(
            "INSERT INTO checkpoints (seq, time, hash, signature, public_key) VALUES (?, ?, ?, ?, ?)",
            [.integer(last.seq), .integer(time), .blob(last.hash), .blob(signature), .blob(signer.publicKey)])
        records.removeAll()
        return last
    }

    private func append(_ action: AuditAction, table: Int, rowID: Int64, payload: [UInt8]) {
        seq += 1
        let record = AuditRecord(
            seq: seq, time: time, action: action, table: table, rowID: rowID, payload: payload, previousHash: head)
        head = record.hash
        records.append(record)
    }

    /// Writes the table's pending inserts, then its pending updates (an update may be of a row inserted
    /// in the same transaction, never the other way round).
    private func flush(_ table: TableSchema) throws {
        if let rows = pendingInserts[table.code], !rows.isEmpty {
            try session.insertMany(table: table.name, columns: table.allColumnNames, rows: rows)
            pendingInserts[table.code] = nil
        }
        if let updates = pendingUpdates[table.code], !updates.isEmpty {
            // One batch per set of changed columns (a scan's updates mostly share one: last_seen, last_scan).
            var batches: [UInt64: [[SQLValue]]] = [:]
            for update in updates where update.changed != 0 { batches[update.changed, default: []].append(update.row) }
            for (changed, rows) in batches.sorted(by: { $0.key < $1.key }) {
                let every = Array(1..<table.columns.count + 1)
                let columns = changed == .max ? every : every.filter { changed & (1 << UInt64($0)) != 0 }
                try session.updateMany(table: table, rows: rows, columns: columns)
            }
            pendingUpdates[table.code] = nil
            pendingUpdateIndex[table.code] = nil
        }
    }

    /// The positions (bit `i` for position `i`, `id` being 0) of the columns of `row` that differ from
    /// `previous`; every column without `previous`, or when the row is too wide for the mask.
    static func changedColumns(_ row: [SQLValue], previous: [SQLValue]?) -> UInt64 {
        guard row.count < 64 else { return .max }
        let every = ((1 as UInt64) << UInt64(row.count)) - 2
        guard let previous, previous.count == row.count else { return every }
        var changed: UInt64 = 0
        for position in 1..<row.count where row[position] != previous[position] {
            changed |= 1 << UInt64(position)
        }
        return changed
    }

    private func nextID(_ table: TableSchema) throws -> Int64 {
        if let id = nextIDs[table.code] {
            nextIDs[table.code] = id + 1
            return id
        }
        // Writers are serialised (SQLite's write lock, PostgreSQL's advisory lock), so MAX + 1 is free.
        // Ids of archived rows are never reused: the floor is kept in store_meta.
        let maxID = try session.scalar("SELECT MAX(id) FROM \(table.name)")?.integer ?? 0
        let floor =
            try session.scalar("SELECT value FROM store_meta WHERE key = ?", [.text("next_id.\(table.name)")])?
            .text.flatMap { Int64($0) } ?? 1
        let id = max(maxID + 1, floor)
        nextIDs[table.code] = id + 1
        return id
    }

    /// Keeps ids of rows moved out of the hot tier from being reused.
    func reserveIDs(_ table: TableSchema) throws {
        let maxID = try session.scalar("SELECT MAX(id) FROM \(table.name)")?.integer ?? 0
        let next = max(maxID + 1, nextIDs[table.code] ?? 1)
        try StoreMeta.set(session, "next_id.\(table.name)", String(next))
    }
}
