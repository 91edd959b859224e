import Foundation

/// One `enforce apply` as the store keeps it: which file replaced which, the diff, who, when, and how it
/// ended.
public struct RulesetLoadInput: Sendable {
    /// How a load ended.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Loaded and read back: the new ruleset is running.
        case applied
        /// Loaded, but the read-back failed and the backup was restored.
        case rolledBack = "rolled-back"
        /// `nft -f` refused the file; the kernel kept the previous ruleset.
        case failed
    }

    public var time: Date
    public var file: String
    public var operatorName: String
    /// SHA-256 of the previously applied file, nil for the first load.
    public var previousSHA256: String?
    public var newSHA256: String
    /// `+12 -3 lines`.
    public var diffSummary: String
    public var diff: String
    public var outcome: Outcome
    public var detail: String?
    public var backup: String?
    public var changeID: String?
    public var reason: String?

    public init(
        time: Date, file: String, operatorName: String, previousSHA256: String?, newSHA256: String,
        diffSummary: String, diff: String, outcome: Outcome, detail: String? = nil, backup: String? = nil,
        changeID: String? = nil, reason: String? = nil
    ) {
        self.time = time
        self.file = file
        self.operatorName = operatorName
        self.previousSHA256 = previousSHA256
        self.newSHA256 = newSHA256
        self.diffSummary = diffSummary
        self.diff = diff
        self.outcome = outcome
        self.detail = detail
        self.backup = backup
        self.changeID = changeID
        self.reason = reason
    }

    /// A segmentation change: a load that holds and whose file differs from the previously applied one.
    /// A failed or rolled-back load leaves the running ruleset as it was.
    public var changesSegmentation: Bool { outcome == .applied && previousSHA256 != newSHA256 }
}

/// A ruleset load read back from the store.
public struct StoredRulesetLoad: Sendable, Hashable {
    public var id: Int64
    public var time: Int64
    public var file: String
    public var operatorName: String
    public var previousSHA256: String?
    public var newSHA256: String
    public var diffSummary: String
    public var diff: String
    public var outcome: String
    public var detail: String?
    public var backup: String?
    public var changeID: String?
    public var reason: String?
    public var segmentationChange: Bool

    init?(row: [SQLValue]) {
        guard row.count == StoreSchema.rulesetLoads.columns.count + 1, let id = row[0].integer,
            let time = row[1].integer
        else { return nil }
        self.id = id
        self.time = time
        file = row[2].text ?? ""
        operatorName = row[3].text ?? ""
        previousSHA256 = row[4].text
        newSHA256 = row[5].text ?? ""
        diffSummary = row[6].text ?? ""
        diff = row[7].text ?? ""
        outcome = row[8].text ?? ""
        detail = row[9].text
        backup = row[10].text
        changeID = row[11].text
        reason = row[12].text
        segmentationChange = row[13].integer == 1
    }
}
