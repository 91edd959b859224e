import ArgumentParser
import Foundation
import PortwardenStore

/// `--db`, `--data-dir` and `--no-store`: where the evidence store is, shared by every command that reads
/// or writes it.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "The store: a SQLite file or directory, sqlite://PATH, or postgres://user@host:port/db (default: the data directory's SQLite file)."
    )
    var db: String?

    @Option(
        name: .long,
        help:
            "The data directory: signing key, chain head, archives (default: $PORTWARDEN_DATA_DIR, else ~/.local/share/portwarden)."
    )
    var dataDir: String?

    @Flag(name: .long, help: "Do not record this run in the evidence store even if one exists.")
    var noStore = false

    /// The data directory after defaults: flag, then `PORTWARDEN_DATA_DIR`, then the XDG data home.
    var dataDirectory: String {
        if let dataDir { return dataDir }
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["PORTWARDEN_DATA_DIR"], !directory.isEmpty { return directory }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/portwarden" }
        return (environment["HOME"] ?? "/root") + "/.local/share/portwarden"
    }

    func location() throws -> StoreLocation {
        do {
            return try StoreLocation.resolve(db: db, dataDirectory: dataDirectory)
        } catch let error as StoreError {
            throw CLIFailure.input(error.message)
        }
    }

    /// Opens the store for a command that needs it (exit 2 when there is none).
    func open(forWriting: Bool = true) throws -> any EvidenceStore {
        let location = try location()
        do {
            return try StoreOpener.open(location, forWriting: forWriting)
        } catch let error as StoreError {
            throw StoreFailure.map(error)
        }
    }

    /// The store a run should be recorded in: nil with `--no-store`, or when no store exists at the default
    /// location; an error when `--db` names one that cannot be opened.
    func openForRecording() throws -> (any EvidenceStore)? {
        if noStore { return nil }
        let location = try location()
        if db == nil, !StoreOpener.exists(location) { return nil }
        do {
            return try StoreOpener.open(location, forWriting: true)
        } catch let error as StoreError {
            throw StoreFailure.map(error)
        }
    }
}

/// Maps store errors to the CLI's exit codes: bad input or a missing store is 2, a failing database 3.
enum StoreFailure {
    static func map(_ error: StoreError) -> CLIFailure {
        switch error.code {
        case .backend: return .runtime("store: \(error.message)")
        case .location, .notInitialized, .schemaTooNew, .signingKey, .lifecycle, .retention, .input:
            return .input(error.message)
        }
    }

    /// Runs `body`, turning store errors into CLI failures.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw map(error)
        }
    }
}
