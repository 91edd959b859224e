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
                    description:
                        "enforce apply \(load.file) (\(Self.loadReference(id))): \(from) → sha256:\(load.newSHA256), "
                        + "\(load.diffSummary); \(load.outcome.rawValue)\(load.detail.map { ": \($0)" } ?? "")",
                    backOut: load.backup.map { "nft -f \($0)" } ?? "", recordedBy: load.operatorName, kind: "enforce"),
                policyVersion: nil)
            if load.changesSegmentation {
                try Self.insertSegmentationChange(
                    writer, origin: "enforce apply", reference: Self.loadReference(id), changeID: load.changeID,
                    summary: "\(load.file) loaded, \(load.diffSummary)")
            }
            return id
        }
    }

    /// The recorded ruleset loads, in the order they were recorded.
    public func rulesetLoads() throws -> [StoredRulesetLoad] {
        try read { session in try Self.rulesetLoads(session) }
    }

    /// The recorded ruleset loads, in the order they were recorded, each with the change record written in
    /// its transaction (for `enforce history`).
    public func rulesetLoadHistory() throws -> [RulesetLoadEntry] {
        try read { session in
            let loads = try Self.rulesetLoads(session)
            guard !loads.isEmpty else { return [] }
            // The change record has the load's time and names the load in its description.
            let records = try session.query(
                "SELECT \(StoreSchema.changeRecords.selectList) FROM change_records WHERE kind = ? ORDER BY id",
                [.text("enforce")]
            ).compactMap(StoredChangeRecord.init(row:))
            let byTime = Dictionary(grouping: records, by: \.time)
            return loads.map { load in
                let reference = "(\(Self.loadReference(load.id)))"
                return RulesetLoadEntry(
                    load: load, change: byTime[load.time]?.first { $0.description.contains(reference) })
            }
        }
    }

    static func rulesetLoads(_ session: any SQLSession) throws -> [StoredRulesetLoad] {
        guard try has(StoreSchema.rulesetLoads, session) else { return [] }
        return try session.query("SELECT \(StoreSchema.rulesetLoads.selectList) FROM ruleset_loads ORDER BY id", [])
            .compactMap(StoredRulesetLoad.init(row:))
    }

    /// How a load's change record and segmentation change name it.
    static func loadReference(_ id: Int64) -> String { "ruleset load \(id)" }

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
