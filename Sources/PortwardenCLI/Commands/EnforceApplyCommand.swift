import ArgumentParser
import Foundation
import PortwardenCore
import PortwardenEnforce
import PortwardenStore

/// `portwarden enforce apply FILE`: load a ruleset atomically, keeping a backup and rolling back.
struct EnforceApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Load a ruleset with nft -f (atomic), after a check and a backup; roll back if it does not hold.",
        discussion: """
            Steps: `nft -c -f FILE` (a ruleset nft rejects is an input error, exit 2, and nothing changes); a backup \
            of the running ruleset (`nft list ruleset`) into the state directory; `nft -f FILE`, which the kernel \
            applies as one transaction, so a failure leaves the previous ruleset in place; a read-back that the \
            table FILE declares is loaded, else the backup is restored (exit 3). The applied file is kept as \
            last-applied.nft and a change record is appended to changes.jsonl in the state directory.

            When an evidence store exists (portwarden init, or --db), every load that reached nft -f is recorded in \
            it as chained records: the previous and new file's SHA-256, the line diff and its summary, who, when, \
            the change id and reason, and whether it was applied, rolled back or refused by the kernel, with a \
            change record (kind enforce). A load that holds and whose file differs from the last one applied is a \
            segmentation change: the next segmentation test is due at once (see segment-test --due).

            --dry-run checks the file and prints the diff against the last applied ruleset without loading it.

            Examples:
              portwarden enforce apply router.nft --dry-run
              portwarden enforce apply router.nft --change CHG-2101 --reason "allow syslog from cde-db"
            """
    )

    @Argument(help: "The ruleset file (from portwarden enforce nft).")
    var file: String

    @Flag(name: .long, help: "Check the file and show the diff, but do not load it.")
    var dryRun = false

    @Option(name: .long, help: "Where backups, last-applied.nft and changes.jsonl are kept.")
    var stateDir = "/var/lib/portwarden/enforce"

    @Option(name: .long, help: "The change record id (6.5.1) this load implements.")
    var change: String?

    @Option(name: .long, help: "Why the ruleset changes, for the change record.")
    var reason: String?

    @OptionGroup(title: "Evidence store") var store: StoreOptions

    func run() async throws {
        let bytes = try InputFile.read(file)
        let text = String(decoding: bytes, as: UTF8.self)
        let check = try NftProcess.run(["-c", "-f", file])
        guard check.status == 0 else {
            throw CLIFailure.input("\(file): nft -c rejects the ruleset; nothing was changed:\n\(check.stderr)")
        }
        let lastApplied = "\(stateDir)/last-applied.nft"
        let previous = FileBytes.read(path: lastApplied, limit: InputFile.maximumSize).map {
            String(decoding: $0, as: UTF8.self)
        }
        if dryRun {
            let diff = LineDiff.unified(
                previous ?? "", text, oldName: previous == nil ? "/dev/null" : lastApplied, newName: file)
            Terminal.write(diff.isEmpty ? "" : diff)
            Terminal.writeError(
                "portwarden: \(file) passes nft -c; \(diff.isEmpty ? "no change" : "not loaded (--dry-run)")")
            return
        }
        try FileBytes.makeDirectory(stateDir)
        let stamp = Timestamp.format(Date()).replacingOccurrences(of: ":", with: "")
        let backup = "\(stateDir)/backup-\(stamp).nft"
        let running = try NftProcess.run(["list", "ruleset"])
        guard running.status == 0 else {
            throw CLIFailure.runtime("nft list ruleset failed: \(running.stderr); loading needs root (CAP_NET_ADMIN)")
        }
        try FileBytes.write("flush ruleset\n" + String(decoding: running.stdout, as: UTF8.self), to: backup)
        let recorder = try LoadRecorder(
            store: store, file: file, text: text, digest: SHA256.hex(bytes), previous: previous, backup: backup,
            change: change, reason: reason)
        let load = try NftProcess.run(["-f", file])
        guard load.status == 0 else {
            try recorder.record(.failed, detail: load.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            throw CLIFailure.runtime(
                "nft -f \(file) failed; the kernel applies a file as one transaction, so the previous ruleset is still loaded (backup: \(backup)):\n\(load.stderr)"
            )
        }
        if let failure = try readBackFailure(text) {
            let restore = try NftProcess.run(["-f", backup])
            let detail =
                "\(failure); restored the backup \(backup) (\(restore.status == 0 ? "ok" : "failed: \(restore.stderr)"))"
            try recorder.record(.rolledBack, detail: detail)
            throw CLIFailure.runtime(detail)
        }
        try recorder.record(.applied, detail: nil)
        try FileBytes.write(text, to: lastApplied)
        try ChangeLog(directory: stateDir).append(
            file: file, digest: "sha256:" + SHA256.hex(bytes), backup: backup, change: change, reason: reason)
        Terminal.writeError("portwarden: loaded \(file); previous ruleset saved as \(backup)")
    }

    /// Why the loaded ruleset does not hold the tables the file declares, or `nil` when it does.
    func readBackFailure(_ text: String) throws -> String? {
        let json = try NftProcess.run(["-j", "list", "ruleset"])
        guard json.status == 0, let read = try? NftJSONReader.read(json.stdout, file: "nft -j list ruleset") else {
            return "the ruleset could not be read back after loading"
        }
        for line in text.textLines where line.hasPrefix("table ") && line.hasSuffix("{") {
            let words = line.split(separator: " ")
            guard words.count >= 3 else { continue }
            if read.ruleset.table(family: String(words[1]), name: String(words[2])) == nil {
                return "table \(words[1]) \(words[2]) is not loaded after nft -f"
            }
        }
        return nil
    }
}

/// The change records of `enforce apply`, one JSON object per line in `changes.jsonl` in the state
/// directory: a local trail kept with the backups; the evidence store's records (``LoadRecorder``) are the
/// chained, tamper-evident ones.
struct ChangeLog {
    let directory: String

    func append(file: String, digest: String, backup: String, change: String?, reason: String?) throws {
        let path = "\(directory)/changes.jsonl"
        let previous =
            FileBytes.read(path: path, limit: InputFile.maximumSize).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let user = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
        let record: [String: String?] = [
            "time": Timestamp.format(Date()), "action": "enforce-apply", "file": file, "digest": digest,
            "backup": backup, "change": change, "reason": reason, "user": user,
        ]
        let data = try JSONSerialization.data(
            withJSONObject: record.mapValues { $0 ?? NSNull() as Any }, options: [.sortedKeys])
        try FileBytes.write(previous + String(decoding: data, as: UTF8.self) + "\n", to: path)
    }
}
