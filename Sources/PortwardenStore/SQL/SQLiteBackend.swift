import Foundation
import GRDB

/// SQLite through GRDB: one database file in WAL mode, synchronous commits, so that a killed writer leaves
/// every acknowledged transaction and no half-written one.
public final class SQLiteBackend: SQLBackend {
    public let dialect = SQLDialect.sqlite
    let pool: DatabasePool

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    public func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var result: T?
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let session = try SQLiteSession(db: db)
                    defer { session.statements.release() }
                    result = try body(session)
                    return .commit
                }
            }
            guard let result else { throw StoreError(.backend, "SQLite write returned no result") }
            return result
        }
    }

    public func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var result: T?
            try pool.read { db in
                let session = try SQLiteSession(db: db)
                defer { session.statements.release() }
                result = try body(session)
            }
            guard let result else { throw StoreError(.backend, "SQLite read returned no result") }
            return result
        }
    }

    public func close() throws { try pool.close() }
}

/// One GRDB database access seen as a store session. Statements run through the C API
/// (`SQLiteStatement`), prepared once per transaction and finalized with it.
struct SQLiteSession: SQLSession {
    let db: Database
    let statements: SQLiteStatementCache
    var dialect: SQLDialect { .sqlite }

    init(db: Database) throws {
        guard let connection = db.sqliteConnection else { throw StoreError(.backend, "SQLite connection is closed") }
        self.db = db
        self.statements = SQLiteStatementCache(connection: connection)
    }

    func execute(_ sql: String, _ values: [SQLValue]) throws {
        try statements.statement(sql).execute(values)
    }

    func query(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try forEach(sql, values) { rows.append($0) }
        return rows
    }

    func forEach(_ sql: String, _ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws {
        try statements.statement(sql).forEach(values, body)
    }

    func forEachRaw(_ sql: String, _ values: [SQLValue], _ body: ([SQLRawValue]) throws -> Void) throws {
        try statements.statement(sql).forEachRaw(values, body)
    }

    func insertMany(table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ",")
        let statement = try statements.statement(
            "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES (\(marks))")
        for row in rows { try statement.execute(row) }
    }

    func updateMany(table: TableSchema, rows: [[SQLValue]], columns: [Int]) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let names = table.allColumnNames
        // `?1` is the id; the columns follow as `?2`, `?3`… in the order of `columns`.
        let assignments = columns.enumerated().map { "\(names[$0.element]) = ?\($0.offset + 2)" }
        let statement = try statements.statement(
            "UPDATE \(table.name) SET \(assignments.joined(separator: ", ")) WHERE id = ?1")
        var values: [SQLValue] = []
        values.reserveCapacity(columns.count + 1)
        for row in rows {
            guard let id = row.first else { continue }
            values.removeAll(keepingCapacity: true)
            values.append(id)
            for column in columns { values.append(row[column]) }
            try statement.execute(values)
        }
    }
}

/// The statements one transaction prepared, by SQL text; released (finalized) with the session.
final class SQLiteStatementCache {
    private let connection: OpaquePointer
    private var prepared: [String: SQLiteStatement] = [:]

    init(connection: OpaquePointer) { self.connection = connection }

    func statement(_ sql: String) throws -> SQLiteStatement {
        if let statement = prepared[sql] { return statement }
        let statement = try SQLiteStatement(connection: connection, sql: sql)
        prepared[sql] = statement
        return statement
    }

    /// Finalizes every statement, so that none outlives the transaction that prepared it.
    func release() { prepared.removeAll() }
}
