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
                    result = try body(SQLiteSession(db: db))
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
            try pool.read { db in result = try body(SQLiteSession(db: db)) }
            guard let result else { throw StoreError(.backend, "SQLite read returned no result") }
            return result
        }
    }

    public func close() throws { try pool.close() }
}

/// One GRDB database access seen as a store session.
struct SQLiteSession: SQLSession {
    let db: Database
    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ values: [SQLValue]) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.execute(arguments: Self.arguments(values))
    }

    func query(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try forEach(sql, values) { rows.append($0) }
        return rows
    }

    func forEach(_ sql: String, _ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(values))
        var buffer: [SQLValue] = []
        while let row = try cursor.next() {
            buffer.removeAll(keepingCapacity: true)
            for index in 0..<row.count {
                let value: DatabaseValue = row[index]
                buffer.append(Self.value(value))
            }
            try body(buffer)
        }
    }

    func insertMany(table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ",")
        let statement = try db.cachedStatement(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES (\(marks))")
        for row in rows { try statement.execute(arguments: Self.arguments(row)) }
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(
            values.map { value -> DatabaseValue in
                switch value {
                case .null: return .null
                case .integer(let number): return number.databaseValue
                case .real(let number): return number.databaseValue
                case .text(let text): return text.databaseValue
                case .blob(let bytes): return Data(bytes).databaseValue
                }
            })
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number): return .integer(number)
        case .double(let number): return .real(number)
        case .string(let text): return .text(text)
        case .blob(let data): return .blob([UInt8](data))
        }
    }
}
