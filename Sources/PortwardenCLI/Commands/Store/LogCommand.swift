import ArgumentParser
import Foundation
import PortwardenStore

/// `portwarden log …`: the tamper-evident audit log.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Verify the audit chain, or export the key that signs it.",
        subcommands: [LogVerifyCommand.self, LogExportKeyCommand.self]
    )
}

/// `portwarden log verify`: check the chain, the checkpoints, the archives and every chained row.
struct LogVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the audit chain end to end and name every record, row or archive that was tampered with.",
        discussion: """
            Recomputes every record's SHA-256 and link, in the database and in the monthly archives, checks each \
            signed checkpoint and the chain head file, and compares every row of every evidence table with the \
            content its last audit record holds. Each problem is printed as
              PLACE record SEQ TABLE row ID: KIND: what differs
            Exits 0 when everything verifies, 1 when something does not, 2 when there is no store.

            Examples:
              portwarden log verify
              portwarden log verify --key assessor-copy.pem
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Verify checkpoints under this public key (PEM or hex from `log export-key`).")
    var key: String?

    func run() async throws {
        var publicKey: [UInt8]?
        if let key {
            guard let text = try? String(contentsOfFile: key, encoding: .utf8),
                let parsed = ChainSigner.parsePublicKey(text)
            else { throw CLIFailure.input("\(key): not an Ed25519 public key (PEM or 64 hex digits)") }
            publicKey = parsed
        }
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        let report = try StoreFailure.run { try ChainVerifier(store: opened, publicKey: publicKey).verify() }
        for issue in report.issues { print(issue.description) }
        let summary =
            "\(report.records) records (\(report.archivedRecords) archived in \(report.archives) archives), "
            + "\(report.checkpoints) checkpoints, \(report.rows) rows checked; chain ends at record \(report.lastSeq)"
        if report.isIntact {
            print("ok: \(summary)")
        } else {
            print("TAMPERED: \(report.issues.count) problem\(report.issues.count == 1 ? "" : "s"); \(summary)")
            throw CLIFailure.findings
        }
    }
}

/// `portwarden log export-key`: the public half of the signing key, for an assessor.
struct LogExportKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-key",
        abstract: "Print the public key that signs the chain's checkpoints (PEM, or hex with --hex).",
        discussion: """
            The key is read from the store. Give the PEM to an assessor; `portwarden log verify --key FILE` \
            and `openssl pkey -pubin -in FILE -text` read it.
            """
    )

    @OptionGroup var store: StoreOptions

    @Flag(name: .long, help: "Print 64 hex digits instead of PEM.")
    var hex = false

    func run() async throws {
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        let key = try StoreFailure.run { try opened.publicKey() }
        Terminal.write(hex ? Hex.encode(key) + "\n" : ChainSigner.pem(publicKey: key))
    }
}
