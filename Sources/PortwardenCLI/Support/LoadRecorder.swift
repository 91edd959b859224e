import Foundation
import PortwardenCore
import PortwardenEnforce
import PortwardenStore

/// Records an `enforce apply` load in the evidence store when one exists (or `--db` names one): opened
/// before the load, so that a store that cannot be opened stops the command before the ruleset changes.
struct LoadRecorder {
    let store: (any EvidenceStore)?
    let file: String
    let previousSHA256: String?
    let newSHA256: String
    let diff: String
    let backup: String
    let change: String?
    let reason: String?

    /// - Parameters:
    ///   - previous: the last applied ruleset file's text from the state directory, if any.
    init(
        store options: StoreOptions, file: String, text: String, digest: String, previous: String?, backup: String,
        change: String?, reason: String?
    ) throws {
        store = try options.openForRecording()
        self.file = file
        newSHA256 = digest
        // The state directory's last-applied file first; the store's last applied load when the directory is new.
        previousSHA256 = try previous.map { SHA256.hex(Array($0.utf8)) } ?? store?.lastAppliedRulesetSHA256()
        diff = LineDiff.unified(
            previous ?? "", text, oldName: previous == nil ? "/dev/null" : "last-applied.nft", newName: file)
        self.backup = backup
        self.change = change
        self.reason = reason
    }

    /// `+12 -3 lines` of a unified diff.
    static func summary(_ diff: String) -> String {
        var added = 0
        var removed = 0
        for line in diff.split(separator: "\n") {
            if line.hasPrefix("+++") || line.hasPrefix("---") { continue }
            if line.hasPrefix("+") { added += 1 } else if line.hasPrefix("-") { removed += 1 }
        }
        return "+\(added) -\(removed) lines"
    }

    /// Records the load's outcome (nothing when there is no store).
    func record(_ outcome: RulesetLoadInput.Outcome, detail: String?) throws {
        guard let store else { return }
        let load = RulesetLoadInput(
            time: Date(), file: file, operatorName: StoreRecording.operatorName(), previousSHA256: previousSHA256,
            newSHA256: newSHA256, diffSummary: Self.summary(diff), diff: diff, outcome: outcome, detail: detail,
            backup: backup, changeID: change, reason: reason)
        let id = try StoreFailure.run { try store.recordRulesetLoad(load) }
        try? store.close()
        Terminal.writeError(
            "portwarden: recorded in \(store.location): ruleset load \(id) (\(outcome.rawValue), \(load.diffSummary))"
                + (load.changesSegmentation ? "; a segmentation change: the next segmentation test is due now" : ""))
    }
}
