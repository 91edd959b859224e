import Foundation

/// Checkpoints, the chain head and the rows of the chained tables.
extension ChainPass {
    mutating func expectCheckpoints(_ rows: [[SQLValue]]) {
        checkpoints = rows.compactMap { row in
            guard row.count == 4, let seq = row[0].integer, let time = row[1].integer, let hash = row[2].blob,
                let signature = row[3].blob
            else { return nil }
            return (seq, time, hash, signature)
        }
        report.checkpoints = checkpoints.count
    }

    private func inDeletedRange(_ seq: Int64) -> Bool {
        deletedRanges.contains { $0.first <= seq && seq <= $0.last }
    }

    mutating func checkCheckpoints(upTo record: RecordView, hash: ChainDigest, place: String) {
        while checkpointIndex < checkpoints.count, checkpoints[checkpointIndex].seq <= record.seq {
            let checkpoint = checkpoints[checkpointIndex]
            checkpointIndex += 1
            if checkpoint.seq < record.seq {
                if inDeletedRange(checkpoint.seq) {
                    // The record went with an archive deleted past retention; the signature still holds.
                    let signed = ChainSigner.isValid(
                        signature: checkpoint.signature, seq: checkpoint.seq, hash: checkpoint.hash,
                        time: checkpoint.time, publicKey: report.publicKey)
                    if !signed {
                        report.issues.append(
                            .init(
                                .checkpointInvalid, place: "database", seq: checkpoint.seq,
                                detail:
                                    "the checkpoint's Ed25519 signature does not verify under the store's public key"))
                    }
                } else {
                    report.issues.append(
                        .init(
                            .checkpointInvalid, place: "database", seq: checkpoint.seq,
                            detail: "a signed checkpoint names record \(checkpoint.seq), which is not in the chain"))
                }
                continue
            }
            let signed = ChainSigner.isValid(
                signature: checkpoint.signature, seq: checkpoint.seq, hash: checkpoint.hash, time: checkpoint.time,
                publicKey: report.publicKey)
            if !signed {
                report.issues.append(
                    .init(
                        .checkpointInvalid, place: "database", seq: checkpoint.seq,
                        detail: "the checkpoint's Ed25519 signature does not verify under the store's public key"))
            } else if !hash.matches(ChainDigest(checkpoint.hash)) {
                report.issues.append(
                    .init(
                        .checkpointInvalid, place: place, seq: record.seq, table: record.tableName, rowID: record.rowID,
                        detail: "the chain's hash here differs from the one signed in the checkpoint (records up to "
                            + "here were rewritten)"))
            } else {
                lastCheckpointSeq = checkpoint.seq
            }
        }
    }

    mutating func finishCheckpoints() {
        let beyond = checkpoints[checkpointIndex...].filter { $0.seq > report.lastSeq }
        if let last = beyond.last {
            report.issues.append(
                .init(
                    .truncated, place: "database", seq: report.lastSeq + 1,
                    detail:
                        "the chain ends at record \(report.lastSeq) but a checkpoint is signed at record \(last.seq)"))
        } else if report.lastSeq > lastCheckpointSeq, report.lastSeq > 0 {
            report.issues.append(
                .init(
                    .unsignedTail, place: "database", seq: lastCheckpointSeq + 1,
                    detail: "records \(lastCheckpointSeq + 1)…\(report.lastSeq) are not covered by a signed checkpoint")
            )
        }
    }

    mutating func checkHead() {
        guard let head else { return }
        let signed = ChainSigner.isValid(
            signature: head.signature, seq: head.seq, hash: head.hash, time: head.time, publicKey: report.publicKey)
        if !signed {
            report.issues.append(
                .init(
                    .checkpointInvalid, place: "chain-head", seq: head.seq,
                    detail: "the chain head file's signature does not verify"))
        } else if head.seq > report.lastSeq {
            report.issues.append(
                .init(
                    .truncated, place: "database", seq: report.lastSeq + 1,
                    detail: "the chain ends at record \(report.lastSeq); the chain head file was signed at \(head.seq)")
            )
        } else if let hashAtHead, !hashAtHead.matches(ChainDigest(head.hash)) {
            report.issues.append(
                .init(
                    .checkpointInvalid, place: "database", seq: head.seq,
                    detail: "record \(head.seq) differs from the one the chain head file signed"))
        }
    }

    /// Every row of every chained table against the last record of it, in one merge of the rows (by id) with
    /// the records (by row id, then sequence): no lookup table, and no row decoded unless it differs.
    mutating func checkRows(_ session: any SQLSession) throws {
        var encoded: [UInt8] = []
        // A store opened for reading only may predate tables a later schema version adds.
        for table in StoreSchema.tables(upTo: try Migrations.version(session)) {
            var records = latest.removeValue(forKey: table.code) ?? []
            if !Self.isOrdered(records) {
                records.sort { ($0.rowID, $0.seq) < ($1.rowID, $1.seq) }
            }
            var next = 0
            var missing: [LatestRecord] = []
            try session.forEachRaw("SELECT \(table.selectList) FROM \(table.name) ORDER BY id", []) { row in
                report.rows += 1
                guard let id = row.first?.integer else { return }
                while next < records.count, records[next].rowID < id {
                    let record = Self.lastOfRow(records, &next)
                    if record.action != .delete { missing.append(record) }
                }
                guard next < records.count, records[next].rowID == id else {
                    report.issues.append(
                        .init(
                            .rowUnrecorded, place: "database", table: table.name, rowID: id,
                            detail: "no audit record accounts for this row (inserted outside Portwarden)"))
                    return
                }
                let record = Self.lastOfRow(records, &next)
                if record.action == .delete {
                    report.issues.append(
                        .init(
                            .rowUnrecorded, place: "database", seq: record.seq, table: table.name, rowID: id,
                            detail: "the row was deleted at record \(record.seq) but is present"))
                    return
                }
                encoded.removeAll(keepingCapacity: true)
                CanonicalEncoding.encodeRow(row, into: &encoded)
                let same = payloads.withUnsafeBytes { all in
                    encoded.withUnsafeBytes { bytes in
                        Self.equal(
                            bytes,
                            UnsafeRawBufferPointer(rebasing: all[record.offset..<(record.offset + record.length)]))
                    }
                }
                if !same {
                    let recorded = Array(payloads[record.offset..<(record.offset + record.length)])
                    report.issues.append(
                        .init(
                            .rowChanged, place: "database", seq: record.seq, table: table.name, rowID: id,
                            detail: Self.difference(table: table, recorded: recorded, row: row.map(SQLValue.init))))
                }
            }
            while next < records.count {
                let record = Self.lastOfRow(records, &next)
                if record.action != .delete { missing.append(record) }
            }
            for record in missing {
                report.issues.append(
                    .init(
                        .rowMissing, place: "database", seq: record.seq, table: table.name, rowID: record.rowID,
                        detail: "the row written at record \(record.seq) is not in the table (deleted outside "
                            + "Portwarden)"))
            }
        }
    }

    /// True when the records are in row id order already (a stable order by sequence within each row):
    /// the usual case, since ids are handed out in the order rows are written.
    private static func isOrdered(_ records: [LatestRecord]) -> Bool {
        var index = 1
        while index < records.count {
            if records[index - 1].rowID > records[index].rowID { return false }
            index += 1
        }
        return true
    }

    private static func equal(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        guard left.count == right.count else { return false }
        guard let a = left.baseAddress, let b = right.baseAddress else { return left.isEmpty }
        return memcmp(a, b, left.count) == 0
    }

    /// The last record of the row at `index`, moving `index` past that row's records.
    private static func lastOfRow(_ records: [LatestRecord], _ index: inout Int) -> LatestRecord {
        var last = records[index]
        index += 1
        while index < records.count, records[index].rowID == last.rowID {
            last = records[index]
            index += 1
        }
        return last
    }

    /// Names the columns whose stored values differ from the recorded ones.
    static func difference(table: TableSchema, recorded payload: [UInt8], row: [SQLValue]) -> String {
        guard let recorded = CanonicalEncoding.decodeRow(payload), recorded.count == row.count else {
            return "the row differs from its last audit record"
        }
        let names = table.allColumnNames
        let changed = row.indices.filter { recorded[$0] != row[$0] }.map { index in
            "\(names[index]) is \(row[index]), recorded \(recorded[index])"
        }
        return changed.isEmpty ? "the row differs from its last audit record" : changed.joined(separator: "; ")
    }
}
