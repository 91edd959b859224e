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

    struct Latest {
        var seq: Int64
        var action: AuditAction
        var payload: [UInt8]
        var place: String
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
            try session.forEach(
                "SELECT seq, time, action, table_code, row_id, payload, prev_hash, hash FROM audit_chain ORDER BY seq",
                []
            ) { values in
                pass.consume(row: values, place: "database")
            }
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
    var previous = AuditRecord.genesis
    var latest: [Int: [Int64: ChainVerifier.Latest]] = [:]
    /// Seq ranges of archives deleted past retention, with the hash their last record had.
    var deletedRanges: [(first: Int64, last: Int64, lastHash: [UInt8])] = []
    var checkpoints: [(seq: Int64, time: Int64, hash: [UInt8], signature: [UInt8])] = []
    var checkpointIndex = 0
    var lastCheckpointSeq: Int64 = 0

    let head: ChainHead?
    var hashAtHead: [UInt8]?

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
            previous = hash
            return
        }
        let record = AuditRecord(
            seq: seq, time: time, action: action, table: Int(table), rowID: rowID, payload: payload,
            previousHash: previousHash, hash: hash)
        consume(record: record, place: place)
    }

    mutating func consume(record: AuditRecord, place: String) {
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
                previous = resumeHash
            } else {
                report.issues.append(
                    .init(
                        .recordsMissing, place: place, seq: expectedSeq,
                        detail: expectedSeq == record.seq - 1
                            ? "record \(expectedSeq) is missing"
                            : "records \(expectedSeq)…\(record.seq - 1) are missing"))
                previous = record.previousHash
            }
        }
        if record.previousHash != previous {
            report.issues.append(
                .init(
                    .chainBroken, place: place, seq: record.seq, table: record.tableName, rowID: record.rowID,
                    detail: "does not link to record \(record.seq - 1) (a record before it was changed, inserted, "
                        + "deleted or moved)"))
        }
        if record.computedHash() != record.hash {
            report.issues.append(
                .init(
                    .recordChanged, place: place, seq: record.seq, table: record.tableName, rowID: record.rowID,
                    detail: "content does not match its hash (\(record.action.name) at \(StoreClock.text(record.time)))"
                ))
        }
        checkCheckpoints(upTo: record, place: place)
        if record.seq == head?.seq { hashAtHead = record.hash }
        if record.table != 0 {
            latest[record.table, default: [:]][record.rowID] = .init(
                seq: record.seq, action: record.action, payload: record.payload, place: place)
        }
        previous = record.hash
        expectedSeq = record.seq + 1
        report.lastSeq = record.seq
        report.lastHash = record.hash
    }
}
