import Foundation
import PortwardenCore
import PortwardenStore

/// One tampering with a copied store, and how to recognise a verification issue that locates it.
struct Mutation: CustomStringConvertible {
    var kind: String
    var detail: String
    var expects: (VerificationIssue) -> Bool

    var description: String { "\(kind): \(detail)" }
}

/// Applies random mutations to a store directory: to rows of the evidence tables, the chain and the
/// checkpoints through SQL (as someone with write access to the database would), and to archive bytes.
struct Mutator {
    let directory: String

    static let allKinds: Set<String> = [
        "row-change", "row-delete", "row-insert", "row-swap", "record-change", "record-delete", "record-insert",
        "record-swap", "chain-truncate", "checkpoint-change", "archive-change", "archive-delete", "archive-insert",
        "archive-swap", "archive-truncate",
    ]

    func apply(_ generator: inout SplitMix64) throws -> Mutation {
        let kinds = Self.allKinds.sorted()
        let kind = kinds[Int(generator.next() % UInt64(kinds.count))]
        if kind.hasPrefix("archive") { return try mutateArchive(kind, &generator) }
        let backend = try SQLiteBackend(path: directory + "/portwarden.sqlite")
        defer { try? backend.close() }
        return try backend.write { session in
            if kind.hasPrefix("row") { return try mutateRow(kind, session, &generator) }
            return try mutateChain(kind, session, &generator)
        }
    }

    private func randomRow(
        _ session: any SQLSession, _ generator: inout SplitMix64, minimum: Int64 = 1
    ) throws -> (TableSchema, [SQLValue]) {
        var tables: [(TableSchema, Int64)] = []
        for table in StoreSchema.tables {
            let count = try session.query("SELECT COUNT(*) FROM \(table.name)", []).first?.first?.integer ?? 0
            if count >= minimum { tables.append((table, count)) }
        }
        let (table, count) = tables[Int(generator.next() % UInt64(tables.count))]
        let offset = Int64(generator.next() % UInt64(count))
        let row = try session.query(
            "SELECT \(table.allColumnNames.joined(separator: ",")) FROM \(table.name) ORDER BY id LIMIT 1 OFFSET ?",
            [.integer(offset)])[0]
        return (table, row)
    }

    private func different(_ value: SQLValue, _ type: ColumnType, _ generator: inout SplitMix64) -> SQLValue {
        switch value {
        case .integer(let number): return .integer(number &+ Int64(1 + generator.next() % 1000))
        case .text(let text): return .text(text + "x")
        case .blob(var bytes):
            if bytes.isEmpty { return .blob([1]) }
            bytes[Int(generator.next() % UInt64(bytes.count))] ^= UInt8(1 + generator.next() % 255)
            return .blob(bytes)
        case .real(let number): return .real(number + 1)
        case .null:
            switch type {
            case .integer: return .integer(1)
            case .text: return .text("x")
            case .blob: return .blob([1])
            case .real: return .real(1)
            }
        }
    }

    private func mutateRow(_ kind: String, _ session: any SQLSession, _ generator: inout SplitMix64) throws -> Mutation
    {
        switch kind {
        case "row-change":
            let (table, row) = try randomRow(session, &generator)
            let index = Int(generator.next() % UInt64(table.columns.count))
            let column = table.columns[index]
            let value = different(row[index + 1], column.type, &generator)
            try session.execute("UPDATE \(table.name) SET \(column.name) = ? WHERE id = ?", [value, row[0]])
            return located(kind, "\(table.name) row \(row[0]) \(column.name) → \(value)", table.name, row[0].integer)
        case "row-delete":
            let (table, row) = try randomRow(session, &generator)
            try session.execute("DELETE FROM \(table.name) WHERE id = ?", [row[0]])
            return located(kind, "\(table.name) row \(row[0])", table.name, row[0].integer)
        case "row-insert":
            let (table, row) = try randomRow(session, &generator)
            let newID = (try session.query("SELECT MAX(id) FROM \(table.name)", []).first?.first?.integer ?? 0) + 1
            var copy = row
            copy[0] = .integer(newID)
            let uniqueColumns = Set(
                table.unique.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
            for (index, column) in table.columns.enumerated() where uniqueColumns.contains(column.name) {
                copy[index + 1] = different(copy[index + 1], column.type, &generator)
            }
            let marks = Array(repeating: "?", count: copy.count).joined(separator: ",")
            try session.execute(
                "INSERT INTO \(table.name) (\(table.allColumnNames.joined(separator: ","))) VALUES (\(marks))", copy)
            return located(kind, "\(table.name) new row \(newID)", table.name, newID)
        default:
            for _ in 0..<50 {
                let (table, first) = try randomRow(session, &generator, minimum: 2)
                let (_, second) = try randomRowOf(table, session, &generator)
                let uniqueColumns = Set(table.unique)
                let columns = table.columns.enumerated().filter { !uniqueColumns.contains($0.element.name) }
                guard first[0] != second[0], columns.contains(where: { first[$0.offset + 1] != second[$0.offset + 1] })
                else { continue }
                let assignments = columns.map { "\($0.element.name) = ?" }.joined(separator: ", ")
                try session.execute(
                    "UPDATE \(table.name) SET \(assignments) WHERE id = ?",
                    columns.map { second[$0.offset + 1] } + [first[0]])
                try session.execute(
                    "UPDATE \(table.name) SET \(assignments) WHERE id = ?",
                    columns.map { first[$0.offset + 1] } + [second[0]])
                let ids = [first[0].integer, second[0].integer]
                return Mutation(kind: kind, detail: "\(table.name) rows \(first[0]) ⇄ \(second[0])") {
                    $0.table == table.name && ids.contains($0.rowID)
                }
            }
            throw TestStoreError(message: "no two different rows to swap")
        }
    }

    private func randomRowOf(
        _ table: TableSchema, _ session: any SQLSession, _ generator: inout SplitMix64
    ) throws
        -> (TableSchema, [SQLValue])
    {
        let count = try session.query("SELECT COUNT(*) FROM \(table.name)", []).first?.first?.integer ?? 1
        let row = try session.query(
            "SELECT \(table.allColumnNames.joined(separator: ",")) FROM \(table.name) ORDER BY id LIMIT 1 OFFSET ?",
            [.integer(Int64(generator.next() % UInt64(max(count, 1))))])[0]
        return (table, row)
    }

    private func located(_ kind: String, _ detail: String, _ table: String, _ rowID: Int64?) -> Mutation {
        Mutation(kind: kind, detail: detail) { $0.table == table && $0.rowID == rowID }
    }

    private func mutateChain(
        _ kind: String, _ session: any SQLSession, _ generator: inout SplitMix64
    ) throws
        -> Mutation
    {
        let bounds = try session.query("SELECT MIN(seq), MAX(seq) FROM audit_chain", [])[0]
        let low = bounds[0].integer ?? 1
        let high = bounds[1].integer ?? 1
        func pick() -> Int64 { low + Int64(generator.next() % UInt64(high - low + 1)) }
        let columns = ["time", "action", "table_code", "row_id", "payload", "prev_hash", "hash"]
        switch kind {
        case "record-change":
            let seq = pick()
            let column = columns[Int(generator.next() % UInt64(columns.count))]
            let value = try session.query("SELECT \(column) FROM audit_chain WHERE seq = ?", [.integer(seq)])[0][0]
            let changed = different(value, .blob, &generator)
            try session.execute("UPDATE audit_chain SET \(column) = ? WHERE seq = ?", [changed, .integer(seq)])
            return Mutation(kind: kind, detail: "record \(seq) \(column)") { $0.seq == seq || $0.seq == seq + 1 }
        case "record-delete":
            let seq = pick()
            try session.execute("DELETE FROM audit_chain WHERE seq = ?", [.integer(seq)])
            return Mutation(kind: kind, detail: "record \(seq)") { $0.seq == seq }
        case "record-insert":
            let last = try session.query("SELECT hash FROM audit_chain WHERE seq = ?", [.integer(high)])[0][0]
            let record = AuditRecord(
                seq: high + 1, time: StoreClock.now(), action: .note, table: 0, rowID: 0,
                payload: Array("forged".utf8), previousHash: last.blob ?? [])
            try session.execute(
                "INSERT INTO audit_chain (seq, time, action, table_code, row_id, payload, prev_hash, hash) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    .integer(record.seq), .integer(record.time), .integer(4), .integer(0), .integer(0),
                    .blob(record.payload), .blob(record.previousHash), .blob(record.hash),
                ])
            return Mutation(kind: kind, detail: "forged record \(high + 1) appended") { $0.seq == high + 1 }
        case "record-swap":
            var first = pick()
            var second = pick()
            if first == second { second = first == high ? low : first + 1 }
            if first > second { swap(&first, &second) }
            let list = columns.joined(separator: ",")
            let a = try session.query("SELECT \(list) FROM audit_chain WHERE seq = ?", [.integer(first)])[0]
            let b = try session.query("SELECT \(list) FROM audit_chain WHERE seq = ?", [.integer(second)])[0]
            let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
            try session.execute("UPDATE audit_chain SET \(assignments) WHERE seq = ?", b + [.integer(first)])
            try session.execute("UPDATE audit_chain SET \(assignments) WHERE seq = ?", a + [.integer(second)])
            let seqs: Set<Int64?> = [first, first + 1, second, second + 1]
            return Mutation(kind: kind, detail: "records \(first) ⇄ \(second)") { seqs.contains($0.seq) }
        case "chain-truncate":
            let seq = pick()
            let withCheckpoints = generator.next() % 2 == 0
            try session.execute("DELETE FROM audit_chain WHERE seq >= ?", [.integer(seq)])
            if withCheckpoints { try session.execute("DELETE FROM checkpoints WHERE seq >= ?", [.integer(seq)]) }
            return Mutation(kind: kind, detail: "records from \(seq)\(withCheckpoints ? " and their checkpoints" : "")")
            {
                $0.kind == .truncated && $0.seq == seq
            }
        default:
            let count = try session.query("SELECT COUNT(*) FROM checkpoints", [])[0][0].integer ?? 1
            let row = try session.query(
                "SELECT seq, hash, signature FROM checkpoints ORDER BY seq LIMIT 1 OFFSET ?",
                [.integer(Int64(generator.next() % UInt64(count)))])[0]
            let column = generator.next() % 2 == 0 ? "hash" : "signature"
            let value = different(column == "hash" ? row[1] : row[2], .blob, &generator)
            try session.execute("UPDATE checkpoints SET \(column) = ? WHERE seq = ?", [value, row[0]])
            let seq = row[0].integer
            return Mutation(kind: kind, detail: "checkpoint \(row[0]) \(column)") { $0.seq == seq }
        }
    }

    private func mutateArchive(_ kind: String, _ generator: inout SplitMix64) throws -> Mutation {
        let folder = directory + "/archive"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pwa.gz") }
            .sorted()
        let file = files[Int(generator.next() % UInt64(files.count))]
        let path = folder + "/" + file
        var bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        let original = bytes
        switch kind {
        case "archive-change":
            bytes[Int(generator.next() % UInt64(bytes.count))] ^= UInt8(1 + generator.next() % 255)
        case "archive-delete":
            try FileManager.default.removeItem(atPath: path)
            return Mutation(kind: kind, detail: file) { $0.place == path }
        case "archive-insert":
            let offset = Int(generator.next() % UInt64(bytes.count + 1))
            bytes.insert(
                contentsOf: (0..<(1 + generator.next() % 16)).map { _ in UInt8(truncatingIfNeeded: generator.next()) },
                at: offset)
        case "archive-truncate":
            bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
        default:
            let length = 1 + Int(generator.next() % 16)
            repeat {
                let a = Int(generator.next() % UInt64(bytes.count - length))
                let b = Int(generator.next() % UInt64(bytes.count - length))
                let first = Array(bytes[a..<(a + length)])
                let second = Array(bytes[b..<(b + length)])
                bytes.replaceSubrange(a..<(a + length), with: second)
                bytes.replaceSubrange(b..<(b + length), with: first)
            } while bytes == original
        }
        _ = chmod(path, 0o644)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return Mutation(kind: kind, detail: file) { $0.place == path }
    }
}
