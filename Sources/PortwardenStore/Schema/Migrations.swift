/// Versioned schema migrations. Each runs once, in order, in the transaction that records it in
/// `schema_migrations`; a store whose version is higher than `current` was made by a newer Portwarden and
/// is not opened for writing.
public enum Migrations {
    /// A migration: its version and the statements for a dialect.
    struct Migration: Sendable {
        var version: Int64
        var summary: String
        var statements: @Sendable (SQLDialect) -> [String]
    }

    static let all: [Migration] = [
        Migration(version: 1, summary: "evidence tables, audit chain, checkpoints", statements: version1),
        Migration(
            version: 2, summary: "segmentation tests, ruleset loads, segmentation changes",
            statements: { dialect in tables(since: 2, dialect) }),
        Migration(
            version: 3, summary: "monitoring: alerts by fingerprint, service usage, log offsets",
            statements: version3),
        Migration(version: 4, summary: "daily log reviews", statements: { dialect in tables(since: 4, dialect) }),
    ]

    /// The schema version this build writes.
    public static var current: Int64 { all.last?.version ?? 0 }

    /// Applies the migrations the database lacks; returns the versions applied.
    @discardableResult
    static func apply(_ session: any SQLSession) throws -> [Int64] {
        try session.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version \(session.dialect.typeName(.integer)) "
                + "PRIMARY KEY, applied \(session.dialect.typeName(.integer)) NOT NULL, summary TEXT NOT NULL)")
        let have = try version(session)
        guard have <= current else {
            throw StoreError(
                .schemaTooNew, "the store has schema version \(have); this Portwarden knows up to \(current)")
        }
        var applied: [Int64] = []
        for migration in all where migration.version > have {
            for statement in migration.statements(session.dialect) { try session.execute(statement) }
            try session.execute(
                "INSERT INTO schema_migrations (version, applied, summary) VALUES (?, ?, ?)",
                [.integer(migration.version), .integer(StoreClock.now()), .text(migration.summary)])
            applied.append(migration.version)
        }
        return applied
    }

    /// The highest applied version, 0 for an empty database.
    static func version(_ session: any SQLSession) throws -> Int64 {
        try session.scalar("SELECT MAX(version) FROM schema_migrations")?.integer ?? 0
    }

    private static func version1(_ dialect: SQLDialect) -> [String] {
        let integer = dialect.typeName(.integer)
        let blob = dialect.typeName(.blob)
        var statements = [
            "CREATE TABLE audit_chain (seq \(integer) PRIMARY KEY, time \(integer) NOT NULL, "
                + "action \(integer) NOT NULL, table_code \(integer) NOT NULL, row_id \(integer) NOT NULL, "
                + "payload \(blob) NOT NULL, prev_hash \(blob) NOT NULL, hash \(blob) NOT NULL)",
            "CREATE TABLE checkpoints (seq \(integer) PRIMARY KEY, time \(integer) NOT NULL, hash \(blob) NOT NULL, "
                + "signature \(blob) NOT NULL, public_key \(blob) NOT NULL)",
            "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]
        statements += tables(since: 1, dialect)
        return statements
    }

    /// The monitor's tables. Versions 1 and 2 reserved `alerts` with other columns and nothing ever wrote it,
    /// so it is dropped and created again with the columns of version 3.
    private static func version3(_ dialect: SQLDialect) -> [String] {
        ["DROP TABLE IF EXISTS alerts"] + tables(since: 3, dialect)
    }

    /// The statements that create the tables a version introduces.
    private static func tables(since version: Int64, _ dialect: SQLDialect) -> [String] {
        StoreSchema.tables.filter { $0.since == version }.flatMap { $0.createStatements(dialect) }
    }
}
