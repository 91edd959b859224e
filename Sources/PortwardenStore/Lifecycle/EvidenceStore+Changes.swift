import Crypto
import Foundation
import PortwardenCore

/// A change record's fields (PCI DSS 6.5.1: reason, description, security impact, approval, test evidence,
/// back-out procedure).
public struct ChangeRecordInput: Sendable {
    public var changeID: String
    public var reason: String
    public var description: String
    public var securityImpact: String
    public var approvedBy: String
    public var testEvidence: String
    public var backOut: String
    public var recordedBy: String
    /// `policy`, `enforce`, …: what kind of change.
    public var kind: String

    public init(
        changeID: String, reason: String, description: String = "", securityImpact: String = "",
        approvedBy: String = "", testEvidence: String = "", backOut: String = "", recordedBy: String,
        kind: String = "policy"
    ) {
        self.changeID = changeID
        self.reason = reason
        self.description = description
        self.securityImpact = securityImpact
        self.approvedBy = approvedBy
        self.testEvidence = testEvidence
        self.backOut = backOut
        self.recordedBy = recordedBy
        self.kind = kind
    }
}

/// What `policy apply` recorded.
public struct PolicyApplication: Sendable, Hashable {
    public var versionID: Int64
    public var sha256: String
    public var diff: String
    /// False when the file is identical to the current version (a change record is still written).
    public var changed: Bool
    /// What changed in the zones or their edges, when it was recorded as a segmentation change.
    public var segmentationChange: String?
}

extension EvidenceStore {
    /// Records a change record on its own (for example for `enforce apply`).
    @discardableResult
    public func recordChange(_ change: ChangeRecordInput, policyVersion: Int64? = nil) throws -> Int64 {
        try write { writer in try Self.insertChange(writer, change, policyVersion: policyVersion) }
    }

    /// Records a new policy version (the whole file, its SHA-256 and its diff from the previous version)
    /// together with its change record.
    /// - Parameters:
    ///   - segmentationChange: given the previous version's content (nil for the first version), what changes
    ///     in the zones or the edges between them, or nil when nothing does; a summary is recorded as a
    ///     segmentation change (the next segmentation test is due at once).
    public func applyPolicy(
        path: String, content: String, change: ChangeRecordInput,
        segmentationChange: ((_ previous: String?) -> String?)? = nil
    ) throws -> PolicyApplication {
        guard !change.changeID.isEmpty, !change.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError(.lifecycle, "a policy change needs a change id and a reason")
        }
        let hash = Hex.encode(SHA256.hash(data: Array(content.utf8)))
        return try write { writer in
            let previous = try writer.rows(StoreSchema.policyVersions, where: "1 = 1 ORDER BY id DESC LIMIT 1").first
            let previousContent = previous?[4].text ?? ""
            let diff = LineDiff.changedLines(old: previousContent, new: content)
            let changed = previous?[3].text != hash
            let version = try writer.insert(
                StoreSchema.policyVersions,
                [.integer(writer.time), .text(path), .text(hash), .text(content), .text(diff), .text(change.changeID)])
            try Self.insertChange(writer, change, policyVersion: version)
            var segmentation: String?
            if changed, let summary = segmentationChange?(previous?[4].text) {
                segmentation = summary
                try Self.insertSegmentationChange(
                    writer, origin: "policy apply", reference: "policy version \(version)", changeID: change.changeID,
                    summary: summary)
            }
            return PolicyApplication(
                versionID: version, sha256: hash, diff: diff, changed: changed, segmentationChange: segmentation)
        }
    }

    /// Every change record, newest first, as (change id, time, kind, reason, approved by).
    public func changes() throws -> [[SQLValue]] {
        try read { session in
            try session.query("SELECT \(StoreSchema.changeRecords.selectList) FROM change_records ORDER BY id DESC", [])
        }
    }

    @discardableResult
    static func insertChange(_ writer: StoreWriter, _ change: ChangeRecordInput, policyVersion: Int64?) throws -> Int64
    {
        try writer.insert(
            StoreSchema.changeRecords,
            [
                .text(change.changeID), .integer(writer.time), .text(change.reason), .text(change.description),
                .text(change.securityImpact), .text(change.approvedBy), .text(change.testEvidence),
                .text(change.backOut), .text(change.recordedBy), .optional(policyVersion), .text(change.kind),
            ])
    }
}
