/// The evidence store: what Portwarden remembers between runs. One protocol, two backends
/// (`SQLiteEvidenceStore`, `PostgresEvidenceStore`); everything a store does is written once, in extensions
/// of this protocol, over `SQLBackend`, and checked by one conformance suite against both.
public protocol EvidenceStore: Sendable {
    var backend: any SQLBackend { get }
    var location: StoreLocation { get }
    /// The signing key; nil when the store was opened for reading only (no key in this data directory).
    var signer: ChainSigner? { get }
}

extension EvidenceStore {
    /// Runs `body` in one write transaction at time `time` (microseconds, default now) and commits it with
    /// its audit records and a signed checkpoint; then updates the chain head file.
    public func write<T>(at time: Int64? = nil, _ body: (StoreWriter) throws -> T) throws -> T {
        guard let signer else {
            throw StoreError(
                .signingKey,
                "no signing key at \(location.keyPath): this store can be read and verified here, not written")
        }
        let (result, last) = try backend.write { session -> (T, AuditRecord?) in
            let writer = try StoreWriter(session: session, time: time ?? StoreClock.now())
            let result = try body(writer)
            return (result, try writer.finish(signer: signer))
        }
        if let last { try ChainHead(record: last, signer: signer).save(path: location.headPath) }
        return result
    }

    /// Runs `body` with a consistent read-only view.
    public func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try backend.read(body)
    }

    /// The store's public key, as recorded at `init`.
    public func publicKey() throws -> [UInt8] {
        guard let text = try read({ try StoreMeta.get($0, "public_key") }), let key = Hex.decode(text) else {
            throw StoreError(.signingKey, "\(location): the store records no public key")
        }
        return key
    }

    public func close() throws { try backend.close() }
}

/// The SQLite backend: one file in the data directory, WAL.
public struct SQLiteEvidenceStore: EvidenceStore {
    public let backend: any SQLBackend
    public let location: StoreLocation
    public let signer: ChainSigner?

    public init(location: StoreLocation, path: String, signer: ChainSigner?) throws {
        backend = try SQLiteBackend(path: path)
        self.location = location
        self.signer = signer
    }
}

/// The PostgreSQL backend, for many nodes on one database.
public struct PostgresEvidenceStore: EvidenceStore {
    public let backend: any SQLBackend
    public let location: StoreLocation
    public let signer: ChainSigner?

    public init(location: StoreLocation, server: PostgresLocation, signer: ChainSigner?) throws {
        backend = try PostgresBackend(location: server)
        self.location = location
        self.signer = signer
    }
}
