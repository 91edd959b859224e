import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL transaction seen as a store session.
struct PostgresSession: SQLSession {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    /// PostgreSQL's limit on parameters per statement is 65535; batches stay well below it.
    static let maximumBinds = 30_000

    func execute(_ sql: String, _ values: [SQLValue]) throws {
        do {
            _ = try connection.query(makeQuery(sql, values), logger: logger).wait()
        } catch {
            throw StoreError(.backend, "PostgreSQL: \(Self.describe(error)) in: \(sql)")
        }
    }

    func query(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        let result: PostgresQueryResult
        do {
            result = try connection.query(makeQuery(sql, values), logger: logger).wait()
        } catch {
            throw StoreError(.backend, "PostgreSQL: \(Self.describe(error)) in: \(sql)")
        }
        var rows: [[SQLValue]] = []
        for row in result.rows {
            var values: [SQLValue] = []
            for cell in row { values.append(try Self.value(cell)) }
            rows.append(values)
        }
        return rows
    }

    func forEach(_ sql: String, _ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws {
        for row in try query(sql, values) { try body(row) }
    }

    func insertMany(table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, Self.maximumBinds / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES "
            var values: [SQLValue] = []
            values.reserveCapacity((end - start) * columns.count)
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
            for index in start..<end {
                if index > start { sql += "," }
                sql += tuple
                values.append(contentsOf: rows[index])
            }
            try execute(sql, values)
            start = end
        }
    }

    /// One `UPDATE … FROM (VALUES …)` per batch. Every value carries its column's type, so that a batch
    /// whose column is all NULL still type-checks.
    func updateMany(table: TableSchema, rows: [[SQLValue]], columns: [Int]) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let all = table.allColumnNames
        let names = ["id"] + columns.map { all[$0] }
        let types = [ColumnType.integer] + columns.map { table.columns[$0 - 1].type }
        let tuple = "(" + types.map { "?::\(SQLDialect.postgres.typeName($0))" }.joined(separator: ",") + ")"
        let assignments = names.dropFirst().map { "\($0) = v.\($0)" }.joined(separator: ", ")
        let perStatement = max(1, Self.maximumBinds / names.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            var values: [SQLValue] = []
            values.reserveCapacity((end - start) * names.count)
            for row in rows[start..<end] {
                values.append(row[0])
                for column in columns { values.append(row[column]) }
            }
            let tuples = Array(repeating: tuple, count: end - start).joined(separator: ",")
            try execute(
                "UPDATE \(table.name) AS t SET \(assignments) FROM (VALUES \(tuples)) AS v(\(names.joined(separator: ",")))"
                    + " WHERE t.id = v.id",
                values)
            start = end
        }
    }

    private func makeQuery(_ sql: String, _ values: [SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        return PostgresQuery(unsafeSQL: SQLDialect.postgres.placeholders(sql), binds: bindings)
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8: return .integer(try cell.decode(Int64.self))
        case .int4: return .integer(Int64(try cell.decode(Int32.self)))
        case .int2: return .integer(Int64(try cell.decode(Int16.self)))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float8: return .real(try cell.decode(Double.self))
        case .float4: return .real(Double(try cell.decode(Float.self)))
        case .bytea:
            let buffer = try cell.decode(ByteBuffer.self)
            return .blob(Array(buffer.readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            return message
        }
        return String(reflecting: error)
    }
}
