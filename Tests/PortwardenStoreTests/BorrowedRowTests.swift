import Foundation
import Testing

@testable import PortwardenStore

/// The borrowed-row path chain verification reads with (`SQLRawValue`) against the owned one, and the
/// column mask interval updates are written with.
@Suite struct BorrowedRowTests {
    static let rows: [[SQLValue]] = [
        [.integer(1), .null, .integer(-5), .real(1.5), .text("cde-db é"), .blob([]), .blob([4, 10, 20, 1, 12])],
        [.integer(2), .text(""), .integer(.max), .real(-2.25), .null, .blob([0]), .integer(.min)],
    ]

    @Test func borrowedRowsEncodeAsOwnedRows() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pw-borrowed-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backend = try SQLiteBackend(path: directory + "/rows.sqlite")
        defer { try? backend.close() }
        try backend.write { session in
            try session.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c, d, e, f)")
            try session.insertMany(table: "t", columns: ["id", "a", "b", "c", "d", "e", "f"], rows: Self.rows)
        }
        let sql = "SELECT id, a, b, c, d, e, f FROM t ORDER BY id"
        let (owned, borrowed) = try backend.read { session in
            var owned: [[UInt8]] = []
            try session.forEach(sql, []) { owned.append(CanonicalEncoding.row($0)) }
            var borrowed: [[UInt8]] = []
            var copies: [[SQLValue]] = []
            try session.forEachRaw(sql, []) { row in
                var bytes: [UInt8] = []
                CanonicalEncoding.encodeRow(row, into: &bytes)
                borrowed.append(bytes)
                copies.append(row.map(SQLValue.init))
            }
            #expect(copies == Self.rows)
            return (owned, borrowed)
        }
        #expect(owned.count == Self.rows.count)
        #expect(borrowed == owned)
        #expect(owned == Self.rows.map(CanonicalEncoding.row))
    }

    @Test func updatesWriteOnlyTheColumnsThatDiffer() {
        let stored: [SQLValue] = [.integer(7), .text("open"), .integer(100), .null, .integer(3)]
        var moved = stored
        moved[2] = .integer(200)
        moved[4] = .integer(4)
        #expect(StoreWriter.changedColumns(moved, previous: stored) == 0b10100)
        #expect(StoreWriter.changedColumns(stored, previous: stored) == 0)
        var ended = stored
        ended[3] = .integer(300)
        #expect(StoreWriter.changedColumns(ended, previous: stored) == 0b01000)
        // Without the stored row, or with one of another width, every column but `id`.
        #expect(StoreWriter.changedColumns(moved, previous: nil) == 0b11110)
        #expect(StoreWriter.changedColumns(moved, previous: Array(stored.prefix(3))) == 0b11110)
    }
}
