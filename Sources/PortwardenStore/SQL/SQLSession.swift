/// A connection inside one transaction: the only way store logic talks to a database, so that the same
/// logic runs on SQLite and PostgreSQL.
public protocol SQLSession {
    var dialect: SQLDialect { get }

    /// Runs a statement that returns no rows. `?` marks each value.
    func execute(_ sql: String, _ values: [SQLValue]) throws

    /// Runs a query and returns its rows, each as values in the order of the select list.
    func query(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]]

    /// Runs a query and hands each row to `body` without collecting them.
    func forEach(_ sql: String, _ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws

    /// Runs a query and hands each row to `body` as values borrowed from the backend, valid only during
    /// the call (`SQLRawValue`); a backend without a row buffer to lend copies through `forEach`.
    func forEachRaw(_ sql: String, _ values: [SQLValue], _ body: ([SQLRawValue]) throws -> Void) throws

    /// Inserts many rows of `columns` into `table` in as few round trips as the backend allows.
    func insertMany(table: String, columns: [String], rows: [[SQLValue]]) throws

    /// Writes the columns at `columns` (positions in a full row; `id` is 0 and never among them) of many
    /// rows of `table` (full rows, `id` first, each id at most once) in as few round trips as the backend
    /// allows. Columns left out keep their values, and an index on them is not touched.
    func updateMany(table: TableSchema, rows: [[SQLValue]], columns: [Int]) throws
}

extension SQLSession {
    func execute(_ sql: String) throws { try execute(sql, []) }

    /// The first column of the first row, or nil when there is no row.
    func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue? {
        try query(sql, values).first?.first
    }
}

/// A database a store can open transactions on.
public protocol SQLBackend: Sendable {
    var dialect: SQLDialect { get }

    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T

    /// Runs `body` with a read-only, consistent view of the database.
    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T

    /// Releases the connection.
    func close() throws
}
