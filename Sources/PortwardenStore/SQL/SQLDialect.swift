/// The SQL spoken by a backend: the few places where SQLite and PostgreSQL differ.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres

    /// The column type of a store value type.
    func typeName(_ type: ColumnType) -> String {
        switch (self, type) {
        case (.sqlite, .integer): return "INTEGER"
        case (.postgres, .integer): return "BIGINT"
        case (.sqlite, .real): return "REAL"
        case (.postgres, .real): return "DOUBLE PRECISION"
        case (_, .text): return "TEXT"
        case (.sqlite, .blob): return "BLOB"
        case (.postgres, .blob): return "BYTEA"
        }
    }

    /// The statement with `?` placeholders rewritten for the backend (`$1`, `$2`, … for PostgreSQL).
    /// Store statements never contain a `?` inside a literal.
    func placeholders(_ sql: String) -> String {
        guard self == .postgres else { return sql }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        for char in sql {
            if char == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(char)
            }
        }
        return out
    }
}
