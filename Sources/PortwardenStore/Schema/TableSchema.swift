/// A table of chained evidence: an `id` primary key followed by its columns. Every write to such a table
/// goes through `StoreWriter`, which appends the row's canonical encoding to the audit chain in the same
/// transaction.
public struct TableSchema: Sendable {
    /// The stable code of the table in audit records (never reused).
    public var code: Int
    public var name: String
    /// The columns after `id`, in canonical order.
    public var columns: [Column]
    /// `CREATE INDEX` column lists (`host, transport, port_low`).
    public var indexes: [String]
    /// Columns whose values must be unique together.
    public var unique: [String]
    /// The schema version (``Migrations``) that creates the table.
    public var since: Int64

    public init(
        code: Int, name: String, columns: [Column], indexes: [String] = [], unique: [String] = [], since: Int64 = 1
    ) {
        self.code = code
        self.name = name
        self.columns = columns
        self.indexes = indexes
        self.unique = unique
        self.since = since
    }

    /// Column names including `id`, in canonical order.
    public var allColumnNames: [String] { ["id"] + columns.map(\.name) }

    /// The select list of every column, `id` first.
    var selectList: String { allColumnNames.joined(separator: ", ") }

    /// The index of a column in a full row (`id` is 0).
    func position(of column: String) -> Int? {
        if column == "id" { return 0 }
        return columns.firstIndex { $0.name == column }.map { $0 + 1 }
    }

    /// `CREATE TABLE` and `CREATE INDEX` statements for the dialect.
    func createStatements(_ dialect: SQLDialect) -> [String] {
        var parts = ["id \(dialect.typeName(.integer)) PRIMARY KEY"]
        for column in columns {
            parts.append("\(column.name) \(dialect.typeName(column.type))\(column.nullable ? "" : " NOT NULL")")
        }
        for group in unique { parts.append("UNIQUE (\(group))") }
        var statements = ["CREATE TABLE \(name) (\(parts.joined(separator: ", ")))"]
        for (index, list) in indexes.enumerated() {
            statements.append("CREATE INDEX \(name)_i\(index) ON \(name) (\(list))")
        }
        return statements
    }
}
