/// Where a store lives: the database (a SQLite file or a PostgreSQL URL) and the data directory that holds
/// the signing key and the chain head (and, for SQLite, the database file and archives).
public struct StoreLocation: Sendable, CustomStringConvertible {
    public enum Database: Sendable {
        case sqlite(path: String)
        case postgres(PostgresLocation)
    }

    public var database: Database
    public var dataDirectory: String

    /// The SQLite file's name in a data directory.
    public static let defaultFileName = "portwarden.sqlite"

    public init(database: Database, dataDirectory: String) {
        self.database = database
        self.dataDirectory = dataDirectory
    }

    /// Resolves `--db`: nil means the SQLite file in `dataDirectory`; `postgres://…` a PostgreSQL server;
    /// `sqlite://PATH`, a path ending in `.sqlite`/`.db`, or any other path a SQLite file (a directory
    /// names the data directory holding it).
    public static func resolve(db: String?, dataDirectory: String) throws -> StoreLocation {
        guard let db, !db.isEmpty else {
            return StoreLocation(
                database: .sqlite(path: dataDirectory + "/" + defaultFileName), dataDirectory: dataDirectory)
        }
        if db.hasPrefix("postgres://") || db.hasPrefix("postgresql://") {
            guard let location = PostgresLocation(url: db) else {
                throw StoreError(.location, "--db \(db): not a PostgreSQL URL (postgres://user@host:port/database)")
            }
            return StoreLocation(database: .postgres(location), dataDirectory: dataDirectory)
        }
        var path = db
        if path.hasPrefix("sqlite://") { path = String(path.dropFirst("sqlite://".count)) }
        if path.contains("://") {
            throw StoreError(.location, "--db \(db): unknown scheme (use a path, sqlite://PATH or postgres://…)")
        }
        if !(path.hasSuffix(".sqlite") || path.hasSuffix(".db")) {
            return StoreLocation(database: .sqlite(path: path + "/" + defaultFileName), dataDirectory: path)
        }
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        return StoreLocation(database: .sqlite(path: path), dataDirectory: directory.isEmpty ? "/" : directory)
    }

    public var keyPath: String { dataDirectory + "/signing-key.ed25519" }
    public var headPath: String { dataDirectory + "/chain-head" }
    public var archiveDirectory: String { dataDirectory + "/archive" }

    public var description: String {
        switch database {
        case .sqlite(let path): return path
        case .postgres(let location): return "postgres://\(location)"
        }
    }
}
