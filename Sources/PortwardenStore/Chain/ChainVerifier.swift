import Foundation

/// Checks a store end to end: every record's hash and link (database and archives), the signed
/// checkpoints and the chain head file, and every row of every chained table against the content its last
/// audit record holds. Reports each problem with its location instead of stopping at the first.
public struct ChainVerifier {
    let store: any EvidenceStore
    /// The key checkpoints must verify under; the store's recorded key when nil.
    let publicKey: [UInt8]?

    public init(store: any EvidenceStore, publicKey: [UInt8]? = nil) {
        self.store = store
        self.publicKey = publicKey
    }

    public func verify() throws -> VerificationReport {
        var report = VerificationReport()
        report.publicKey = try publicKey ?? store.publicKey()
        try store.read { session in
            var pass = ChainPass(report: report, head: try ChainHead.load(path: store.location.headPath))
            let checkpoints = try session.query("SELECT seq, time, hash, signature FROM checkpoints ORDER BY seq", [])
            pass.expectCheckpoints(checkpoints)
            let archives = try ArchiveReader(location: store.location).catalogue(session)
            for archive in archives {
                pass.report.archives += 1
                try pass.consume(archive: archive)
            }
            // Borrowed values: each record is hashed and compared where the backend holds it (bench/README.md,
            // `bench/store`, measured 2026-12-03).
            try session.forEachRaw(
                "SELECT seq, time, action, table_code, row_id, payload, prev_hash, hash FROM audit_chain ORDER BY seq",
                []
            ) { values in
                pass.consume(raw: values, place: "database")
            }
            pass.report.lastHash = pass.lastHash.bytes
            pass.finishCheckpoints()
            pass.checkHead()
            try pass.checkRows(session)
            report = pass.report
        }
        return report
    }
}

/// The state of one verification pass over the chain in sequence order.
struct ChainPass {
    var report: VerificationReport
    var expectedSeq: Int64 = 1
    var previous = ChainDigest.genesis
    /// The hash of the last record consumed (`VerificationReport.lastHash`).
    var lastHash = ChainDigest.genesis
    /// Every record of a chained row so far, by table code, in sequence order; their payloads are in `payloads`.
    var latest: [Int: [LatestRecord]] = [:]
    /// The payloads of the records in `latest`, one after the other: one buffer instead of one per record.
    var payloads: [UInt8] = []
    /// Seq ranges of archives deleted past retention, with the hash their last record had.
    var deletedRanges: [(first: Int64, last: Int64, lastHash: [UInt8])] = []
    var checkpoints: [(seq: Int64, time: Int64, hash: [UInt8], signature: [UInt8])] = []
    var checkpointIndex = 0
    var lastCheckpointSeq: Int64 = 0

    let head: ChainHead?
    var hashAtHead: ChainDigest?

    /// A record of a chained table's row, with its payload's place in `payloads`.
    struct LatestRecord {
        var rowID: Int64
        var seq: Int64
        var offset: Int
        var length: Int
        var action: AuditAction
    }

    /// A record read from the database or an archive, its bytes borrowed.
    struct RecordView {
        var seq: Int64
        var time: Int64
        var action: AuditAction
        var table: Int64
        var rowID: Int64
        var payload: UnsafeRawBufferPointer
        var previousHash: UnsafeRawBufferPointer
        var hash: UnsafeRawBufferPointer

        var tableName: String { AuditRecord.tableName(code: Int(truncatingIfNeeded: table)) }
    }

    init(report: VerificationReport, head: ChainHead?) {
        self.report = report
        self.head = head
    }

    mutating func consume(archive: ArchiveReader.Entry) throws {
        if archive.deleted {
            deletedRanges.append((archive.firstSeq, archive.lastSeq, archive.lastHash))
            return
        }
        switch archive.content {
        case .missing:
            report.issues.append(
                .init(
                    .archiveMissing, place: archive.path, seq: archive.firstSeq,
                    detail: "archive of \(archive.month) (records \(archive.firstSeq)…\(archive.lastSeq)) is not there")
            )
            deletedRanges.append((archive.firstSeq, archive.lastSeq, archive.lastHash))
        case .records(let records, let hashMatches):
            if !hashMatches {
                report.issues.append(
                    .init(
                        .archiveChanged, place: archive.path,
                        detail: "SHA-256 of the file differs from the one recorded when \(archive.month) was archived"))
            }
            for record in records {
                report.archivedRecords += 1
                consume(record: record, place: archive.path)
            }
            if let last = records.last?.seq, last < archive.lastSeq {
                report.issues.append(
                    .init(
                        .truncated, place: archive.path, seq: last + 1,
                        detail: "archive ends at record \(last); the chain says it holds up to \(archive.lastSeq)"))
            }
        case .unreadable(let reason):
            report.issues.append(
                .init(
                    .archiveChanged, place: archive.path, seq: archive.firstSeq,
                    detail: "cannot be read (\(reason)); records \(archive.firstSeq)…\(archive.lastSeq) unverifiable"))
            deletedRanges.append((archive.firstSeq, archive.lastSeq, archive.lastHash))
        }
    }

    mutating func consume(row values: [SQLValue], place: String) {
        guard values.count == 8, let seq = values[0].integer, let time = values[1].integer,
            let actionCode = values[2].integer, let table = values[3].integer, let rowID = values[4].integer,
            let payload = values[5].blob, let previousHash = values[6].blob, let hash = values[7].blob
        else {
            let seq = values.first?.integer
            report.issues.append(
                .init(.recordChanged, place: place, seq: seq, detail: "record has a value of the wrong type or size"))
            if let seq { expectedSeq = seq + 1 }
            return
        }
        guard let action = AuditAction(rawValue: actionCode) else {
            report.issues.append(
                .init(.recordChanged, place: place, seq: seq, detail: "record has unknown action code \(actionCode)"))
            expectedSeq = seq + 1
            previous = ChainDigest(hash)
            return
        }
        let record = AuditRecord(
            seq: seq, time: time, action: action, table: Int(table), rowID: rowID, payload: payload,
            previousHash: previousHash, hash: hash)
        consume(record: record, place: place)
    }

    /// A database row of `audit_chain` as borrowed values; a row with a value of the wrong type goes the
    /// owned way, which names the problem.
    mutating func consume(raw values: [SQLRawValue], place: String) {
        guard values.count == 8, values[0].kind == .integer, values[1].kind == .integer, values[2].kind == .integer,
            values[3].kind == .integer, values[4].kind == .integer, values[5].kind == .blob, values[6].kind == .blob,
            values[7].kind == .blob, let action = AuditAction(rawValue: Int64(bitPattern: values[2].bits))
        else {
            consume(row: values.map(SQLValue.init), place: place)
            return
        }
        consume(
            view: RecordView(
                seq: Int64(bitPattern: values[0].bits), time: Int64(bitPattern: values[1].bits), action: action,
                table: Int64(bitPattern: values[3].bits), rowID: Int64(bitPattern: values[4].bits),
                payload: values[5].bytes, previousHash: values[6].bytes, hash: values[7].bytes),
            place: place)
    }

    mutating func consume(record: AuditRecord, place: String) {
        record.payload.withUnsafeBytes { payload in
            record.previousHash.withUnsafeBytes { previousHash in
                record.hash.withUnsafeBytes { hash in
                    consume(
                        view: RecordView(
                            seq: record.seq, time: record.time, action: record.action, table: Int64(record.table),
                            rowID: record.rowID, payload: payload, previousHash: previousHash, hash: hash),
                        place: place)
                }
            }
        }
    }

    mutating func consume(view record: RecordView, place: String) {
        report.records += 1
        if record.seq < expectedSeq {
            report.issues.append(
                .init(
                    .recordOutOfOrder, place: place, seq: record.seq, table: record.tableName, rowID: record.rowID,
                    detail: "sequence number \(record.seq) after \(expectedSeq - 1)"))
            return
        }
        if record.seq > expectedSeq {
            // Archives deleted past retention leave a gap the chain accounts for: it resumes from the hash
            // their last record had.
            var cursor = expectedSeq
            var resumeHash: [UInt8]?
            while let range = deletedRanges.first(where: { $0.first == cursor }) {
                cursor = range.last + 1
                resumeHash = range.lastHash
            }
            if cursor == record.seq, let resumeHash {
                previous = ChainDigest(resumeHash)
            } else {
                report.issues.append(
                    .init(
                        .recordsMissing, place: place, seq: expectedSeq,
                        detail: expectedSeq == record.seq - 1
                            ? "record \(expectedSeq) is missing"
                            : "records \(expectedSeq)…\(record.seq - 1) are missing"))
                previous = ChainDigest(record.previousHash)
            }
        }
        if !previous.matches(record.previousHash) {
            report.issues.append(
                .init(
                    .chainBroken, place: place, seq: record.seq, table: record.tableName, rowID: record.rowID,
                    detail: "does not link to record \(record.seq - 1) (a record before it was changed, inserted, "
                        + "deleted or moved)"))
        }
        let computed = ChainDigest.record(
            seq: record.seq, time: record.time, action: record.action.rawValue, table: record.table,
            rowID: record.rowID, payload: record.payload, previousHash: record.previousHash)
        let hash = ChainDigest(record.hash)
        if !computed.matches(hash) {
            report.issues.append(
                .init(
                    .recordChanged, place: place, seq: record.seq, table: record.tableName, rowID: record.rowID,
                    detail: "content does not match its hash (\(record.action.name) at \(StoreClock.text(record.time)))"
                ))
        }
        if checkpointIndex < checkpoints.count, checkpoints[checkpointIndex].seq <= record.seq {
            checkCheckpoints(upTo: record, hash: hash, place: place)
        }
        if record.seq == head?.seq { hashAtHead = hash }
        if record.table != 0 {
            let entry = LatestRecord(
                rowID: record.rowID, seq: record.seq, offset: payloads.count,
                length: record.payload.count, action: record.action)
            payloads.append(contentsOf: record.payload)
            latest[Int(truncatingIfNeeded: record.table), default: []].append(entry)
        }
        previous = hash
        expectedSeq = record.seq + 1
        report.lastSeq = record.seq
        lastHash = hash
    }
}
