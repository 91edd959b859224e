import GRDBSQLite

/// One prepared SQLite statement driven through the C API: values bound straight from `SQLValue`, rows
/// read straight into `SQLValue`. GRDB still owns the connection and the transaction; this only replaces
/// its per-row argument conversion, which cost more than SQLite itself on the store's bulk paths (the
/// `bench/store` profile in bench/README.md).
final class SQLiteStatement {
    private let connection: OpaquePointer
    private let handle: OpaquePointer
    let sql: String

    init(connection: OpaquePointer, sql: String) throws {
        var prepared: OpaquePointer?
        let status = sqlite3_prepare_v3(
            connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard status == SQLITE_OK, let prepared else {
            throw StoreError(.backend, "SQLite: \(Self.message(connection)) in: \(sql)")
        }
        self.connection = connection
        self.handle = prepared
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Runs the statement with `values` to completion, discarding any rows.
    func execute(_ values: [SQLValue]) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { return }
            if status != SQLITE_ROW { throw failure() }
        }
    }

    /// Runs the query with `values` and hands each row to `body`, the buffer reused between rows.
    func forEach(_ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws {
        try step(values, column: value, body)
    }

    /// Runs the query with `values` and hands each row to `body` as values pointing into SQLite's row
    /// (valid until the next step), the buffer reused between rows: nothing is copied or allocated per row.
    func forEachRaw(_ values: [SQLValue], _ body: ([SQLRawValue]) throws -> Void) throws {
        try step(values, column: rawValue, body)
    }

    /// Steps through the query's rows, each read column by column with `column` into one reused buffer.
    private func step<Value>(
        _ values: [SQLValue], column: (Int32) -> Value, _ body: ([Value]) throws -> Void
    ) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        let count = Int(sqlite3_column_count(handle))
        var row: [Value] = []
        row.reserveCapacity(count)
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw failure() }
            row.removeAll(keepingCapacity: true)
            for index in 0..<Int32(count) { row.append(column(index)) }
            try body(row)
        }
    }

    private func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        guard Int(sqlite3_bind_parameter_count(handle)) == values.count else {
            throw StoreError(
                .backend, "SQLite: \(values.count) values for \(sqlite3_bind_parameter_count(handle)) in: \(sql)")
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(handle, index)
            case .integer(let number): status = sqlite3_bind_int64(handle, index, number)
            case .real(let number): status = sqlite3_bind_double(handle, index, number)
            case .text(let text):
                status = sqlite3_bind_text64(
                    handle, index, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            case .blob(let bytes):
                status = bytes.withUnsafeBytes { buffer in
                    // A zero-length blob still needs a non-null pointer to be stored as a blob, not NULL.
                    guard let base = buffer.baseAddress else { return sqlite3_bind_zeroblob(handle, index, 0) }
                    return sqlite3_bind_blob64(handle, index, base, UInt64(buffer.count), Self.transient)
                }
            }
            guard status == SQLITE_OK else { throw failure() }
        }
    }

    private func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let length = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        default:
            let length = Int(sqlite3_column_bytes(handle, column))
            guard let bytes = sqlite3_column_blob(handle, column), length > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: length)))
        }
    }

    private func rawValue(_ column: Int32) -> SQLRawValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return SQLRawValue(kind: .null)
        case SQLITE_INTEGER:
            return SQLRawValue(kind: .integer, bits: UInt64(bitPattern: sqlite3_column_int64(handle, column)))
        case SQLITE_FLOAT: return SQLRawValue(kind: .real, bits: sqlite3_column_double(handle, column).bitPattern)
        case SQLITE_TEXT:
            // The pointer first, then the length (SQLite's documented order for a conversion-free read).
            let text = sqlite3_column_text(handle, column)
            let length = Int(sqlite3_column_bytes(handle, column))
            return SQLRawValue(kind: .text, bytes: UnsafeRawBufferPointer(start: text, count: text == nil ? 0 : length))
        default:
            let bytes = sqlite3_column_blob(handle, column)
            let length = Int(sqlite3_column_bytes(handle, column))
            return SQLRawValue(
                kind: .blob, bytes: UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : length))
        }
    }

    private func failure() -> StoreError {
        StoreError(.backend, "SQLite: \(Self.message(connection)) in: \(sql)")
    }

    private static func message(_ connection: OpaquePointer) -> String {
        sqlite3_errmsg(connection).map { String(cString: $0) } ?? "unknown error"
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self) }
}
