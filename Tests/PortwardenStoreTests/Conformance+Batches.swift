import Foundation
import PortwardenStore
import Testing

extension Conformance {
    /// Inserts and updates are queued and written in batches: reads inside the transaction see them, a row
    /// updated twice keeps the later values, a batch whose nullable columns are all NULL is written as
    /// NULL, and every row still matches its last audit record.
    static func batchedWritesKeepTheirOrder(_ store: any EvidenceStore) throws {
        let table = StoreSchema.reviews
        func review(_ index: Int, signedBy: String? = nil) -> [SQLValue] {
            [.text("zone-\(index)"), .text("reviewer"), .integer(Int64(index)), .null, .optional(signedBy), .null]
        }
        // More rows than one batch holds (5,000), so that flushes happen mid-transaction.
        let ids = try store.write { writer -> [Int64] in
            var ids: [Int64] = []
            for index in 0..<6_001 { ids.append(try writer.insert(table, review(index))) }
            try writer.update(table, [.integer(ids[0])] + review(0, signedBy: "first"))
            try writer.update(table, [.integer(ids[0])] + review(0, signedBy: "second"))
            for index in 1..<5_500 { try writer.update(table, [.integer(ids[index])] + review(index, signedBy: "x")) }
            let seen = try writer.rows(table, where: "id = ?", [.integer(ids[0])])
            #expect(seen.first?[5] == .text("second"), "a read inside the transaction sees the queued update")
            try writer.update(table, [.integer(ids[6_000])] + review(6_000, signedBy: "last"))
            return ids
        }
        // A batch of one row whose nullable columns are all NULL.
        try store.write { writer in try writer.update(table, [.integer(ids[1])] + review(1)) }
        let rows = try store.read { session in
            try session.query("SELECT id, signed_by, started FROM reviews ORDER BY id", [])
        }
        #expect(rows.count == 6_001)
        let signedBy = Dictionary(rows.compactMap { row in row[0].integer.map { ($0, row[1]) } }) { first, _ in first }
        #expect(signedBy[ids[0]] == .text("second"))
        #expect(signedBy[ids[1]] == .null)
        #expect(signedBy[ids[2]] == .text("x"))
        #expect(signedBy[ids[5_499]] == .text("x"))
        #expect(signedBy[ids[5_500]] == .null)
        #expect(signedBy[ids[6_000]] == .text("last"))
        #expect(rows.last?[2] == .integer(6_000))
        let report = try ChainVerifier(store: store).verify()
        #expect(report.isIntact, "\(report.issues)")
    }
}
