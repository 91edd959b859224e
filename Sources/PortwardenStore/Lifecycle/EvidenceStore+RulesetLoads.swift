import Foundation

extension EvidenceStore {
    /// Records a ruleset load with its change record (kind `enforce`, PCI DSS 6.5.1) and, when it changes the
    /// running ruleset, a segmentation change (the next segmentation test is due at once), in one transaction.
    /// - Returns: the load's id.
    @discardableResult
    public func recordRulesetLoad(_ load: RulesetLoadInput) throws -> Int64 {
        try write(at: StoreClock.micros(load.time)) { writer in
            let id = try writer.insert(
                StoreSchema.rulesetLoads,
                [
                    .integer(writer.time), .text(load.file), .text(load.operatorName), .optional(load.previousSHA256),
                    .text(load.newSHA256), .text(load.diffSummary), .text(load.diff), .text(load.outcome.rawValue),
                    .optional(load.detail), .optional(load.backup), .optional(load.changeID), .optional(load.reason),
                    .integer(load.changesSegmentation ? 1 : 0),
                ])
            let from = load.previousSHA256.map { "sha256:\($0)" } ?? "no previously applied ruleset"
            try Self.insertChange(
                writer,
                ChangeRecordInput(
                    changeID: load.changeID ?? "", reason: load.reason ?? "",
                    description: "enforce apply \(load.file) (ruleset load \(id)): \(from) → sha256:\(load.newSHA256), "
                        + "\(load.diffSummary); \(load.outcome.rawValue)\(load.detail.map { ": \($0)" } ?? "")",
                    backOut: load.backup.map { "nft -f \($0)" } ?? "", recordedBy: load.operatorName, kind: "enforce"),
                policyVersion: nil)
            if load.changesSegmentation {
                try Self.insertSegmentationChange(
                    writer, origin: "enforce apply", reference: "ruleset load \(id)", changeID: load.changeID,
                    summary: "\(load.file) loaded, \(load.diffSummary)")
            }
            return id
        }
    }

    /// The recorded ruleset loads, oldest first.
    public func rulesetLoads() throws -> [StoredRulesetLoad] {
        try read { session in
            try session.query(
                "SELECT \(StoreSchema.rulesetLoads.selectList) FROM ruleset_loads ORDER BY id", []
            ).compactMap(StoredRulesetLoad.init(row:))
        }
    }

    /// The SHA-256 of the ruleset file the last load that held applied, if any.
    public func lastAppliedRulesetSHA256() throws -> String? {
        try read { session in
            try session.query(
                "SELECT new_sha256 FROM ruleset_loads WHERE outcome = ? ORDER BY id DESC LIMIT 1",
                [.text(RulesetLoadInput.Outcome.applied.rawValue)]
            ).first?[0].text
        }
    }
}
