import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO

/// PostgreSQL through PostgresNIO: one connection, transactions serialised within the process by a mutex
/// and across processes by a transaction-scoped advisory lock, so that the audit chain has one writer.
///
/// Store logic is synchronous (the SQLite backend is); this backend waits for PostgresNIO's futures on the
/// calling thread, which is never one of the event loop's threads.
public final class PostgresBackend: SQLBackend {
    public let dialect = SQLDialect.postgres
    let connection: PostgresConnection
    let logger: Logger
    private let gate = NIOLock()

    /// The advisory lock key every writer takes (`pg_advisory_xact_lock`).
    static let writerLock: Int64 = 0x5057_5354  // "PWST"

    /// Connects to the server `location` names.
    public init(location: PostgresLocation) throws {
        logger = Logger(label: "portwarden.store.postgres")
        let configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            configuration = .init(
                unixSocketPath: socket, username: location.user, password: location.password,
                database: location.database)
        } else {
            configuration = .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable)
        }
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
                logger: logger
            ).wait()
        } catch {
            throw StoreError(.backend, "cannot connect to PostgreSQL at \(location): \(String(reflecting: error))")
        }
    }

    public func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try gate.withLock {
            let session = PostgresSession(connection: connection, logger: logger)
            try session.execute("BEGIN")
            do {
                try session.execute("SELECT pg_advisory_xact_lock(?)", [.integer(Self.writerLock)])
                let result = try body(session)
                try session.execute("COMMIT")
                return result
            } catch {
                try? session.execute("ROLLBACK")
                throw error
            }
        }
    }

    public func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try gate.withLock {
            let session = PostgresSession(connection: connection, logger: logger)
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let result = try body(session)
                try session.execute("COMMIT")
                return result
            } catch {
                try? session.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs one statement outside a transaction (`CREATE DATABASE`, `DROP DATABASE`).
    public func administer(_ sql: String) throws {
        try gate.withLock { try PostgresSession(connection: connection, logger: logger).execute(sql, []) }
    }

    public func close() throws {
        try connection.close().wait()
    }
}
