import Foundation

/// Creates and opens stores at a `StoreLocation`.
public enum StoreOpener {
    /// What `init` did.
    public struct Creation: Sendable {
        public var store: any EvidenceStore
        public var publicKey: [UInt8]
        /// False when the store already existed with this key (init is idempotent).
        public var created: Bool
        public var appliedMigrations: [Int64]
    }

    /// Creates the store and its signing key (`portwarden init`); opens it when it already exists with the
    /// key found in the data directory.
    public static func create(_ location: StoreLocation) throws -> Creation {
        try makeDirectory(location.dataDirectory)
        let signer: ChainSigner
        if let existing = try ChainSigner.load(path: location.keyPath) {
            signer = existing
        } else {
            signer = .generate()
            try signer.save(path: location.keyPath)
        }
        let store = try connect(location, signer: signer)
        let keyHex = Hex.encode(signer.publicKey)
        let (applied, recorded) = try store.backend.write { session -> ([Int64], String?) in
            let applied = try Migrations.apply(session)
            let recorded = try StoreMeta.get(session, "public_key")
            if recorded == nil {
                try StoreMeta.set(session, "public_key", keyHex)
                try StoreMeta.set(session, "created", String(StoreClock.now()))
            }
            return (applied, recorded)
        }
        if let recorded, recorded != keyHex {
            throw StoreError(
                .signingKey,
                "\(location): already initialised with another signing key (public key \(recorded)); "
                    + "\(location.keyPath) does not match it")
        }
        if recorded == nil {
            try store.write { writer in
                writer.note("store created; schema version \(Migrations.current); public key \(keyHex)")
            }
        }
        return Creation(store: store, publicKey: signer.publicKey, created: recorded == nil, appliedMigrations: applied)
    }

    /// Opens an initialised store. With `forWriting`, pending migrations are applied and the signing key must
    /// be present and match the store; without it, a missing key opens the store read-only.
    public static func open(_ location: StoreLocation, forWriting: Bool = true) throws -> any EvidenceStore {
        if case .sqlite(let path) = location.database, !FileManager.default.fileExists(atPath: path) {
            throw StoreError(.notInitialized, "no store at \(path) (run `portwarden init` first)")
        }
        let signer = try ChainSigner.load(path: location.keyPath)
        if forWriting && signer == nil {
            throw StoreError(.signingKey, "no signing key at \(location.keyPath) (run `portwarden init`)")
        }
        let store = try connect(location, signer: signer)
        let recorded: String? =
            if forWriting {
                try store.backend.write { session in
                    try Migrations.apply(session)
                    return try StoreMeta.get(session, "public_key")
                }
            } else {
                try store.backend.read { session in
                    guard try session.scalar(Self.hasMetaTable(session.dialect)) != nil else { return nil }
                    return try StoreMeta.get(session, "public_key")
                }
            }
        guard let recorded else {
            throw StoreError(.notInitialized, "\(location) is not an initialised store (run `portwarden init`)")
        }
        if let signer, Hex.encode(signer.publicKey) != recorded {
            throw StoreError(
                .signingKey, "\(location.keyPath) does not match the store's public key \(recorded)")
        }
        return store
    }

    /// Whether an initialised SQLite store exists at the location (PostgreSQL locations are named explicitly
    /// and count as existing).
    public static func exists(_ location: StoreLocation) -> Bool {
        switch location.database {
        case .sqlite(let path): return FileManager.default.fileExists(atPath: path)
        case .postgres: return true
        }
    }

    static func connect(_ location: StoreLocation, signer: ChainSigner?) throws -> any EvidenceStore {
        switch location.database {
        case .sqlite(let path):
            return try SQLiteEvidenceStore(location: location, path: path, signer: signer)
        case .postgres(let server):
            return try PostgresEvidenceStore(location: location, server: server, signer: signer)
        }
    }

    static func hasMetaTable(_ dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: return "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'"
        case .postgres: return "SELECT 1 FROM information_schema.tables WHERE table_name = 'store_meta'"
        }
    }

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.location, "\(path): cannot create the data directory (\(error.localizedDescription))")
        }
    }
}
