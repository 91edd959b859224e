import ArgumentParser
import PortwardenStore

/// `portwarden init`: create the evidence store and its signing key.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the evidence store and its Ed25519 signing key.",
        discussion: """
            Creates the data directory (mode 0700), the signing key (signing-key.ed25519, mode 0600), the database \
            (SQLite in the data directory by default, or the PostgreSQL database --db names) with its schema, and \
            the first audit record. Running it again on an existing store changes nothing. docs/store.md describes \
            the store.

            Examples:
              portwarden init
              portwarden init --db /var/lib/portwarden
              portwarden init --db postgres://portwarden@db.example:5432/portwarden --data-dir /etc/portwarden
            """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let location = try store.location()
        let creation = try StoreFailure.run { try StoreOpener.create(location) }
        defer { try? creation.store.close() }
        let verb = creation.created ? "created" : "already initialised"
        print("\(location): \(verb) (schema version \(Migrations.current))")
        print("signing key: \(location.keyPath)")
        print("public key: \(Hex.encode(creation.publicKey))  (export with `portwarden log export-key`)")
    }
}
