/// One thing `log verify` found wrong, with where: the record's sequence number, the table and row, and
/// the place (the database or an archive file).
public struct VerificationIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// A record's content no longer matches its hash.
        case recordChanged = "record-changed"
        /// Sequence numbers are missing: records were deleted.
        case recordsMissing = "records-missing"
        /// A record does not link to its predecessor: inserted, deleted or reordered records before it.
        case chainBroken = "chain-broken"
        /// A record with a sequence number already seen, or out of order.
        case recordOutOfOrder = "record-out-of-order"
        /// The chain ends before a signed checkpoint or the chain head file: records were truncated.
        case truncated
        /// Records after the last signed checkpoint (appended outside Portwarden).
        case unsignedTail = "unsigned-tail"
        /// A checkpoint whose signature does not verify, or that names another hash than the chain has.
        case checkpointInvalid = "checkpoint-invalid"
        /// A table row differs from the content its last audit record holds.
        case rowChanged = "row-changed"
        /// A row the chain says exists is not in its table.
        case rowMissing = "row-missing"
        /// A row in a table that no audit record accounts for.
        case rowUnrecorded = "row-unrecorded"
        /// An archive file whose bytes no longer match the hash in the chain.
        case archiveChanged = "archive-changed"
        /// An archive file the chain lists that is not there.
        case archiveMissing = "archive-missing"
    }

    public var kind: Kind
    /// `database` or the archive file's path.
    public var place: String
    public var seq: Int64?
    public var table: String?
    public var rowID: Int64?
    public var detail: String

    public init(
        _ kind: Kind, place: String, seq: Int64? = nil, table: String? = nil, rowID: Int64? = nil, detail: String
    ) {
        self.kind = kind
        self.place = place
        self.seq = seq
        self.table = table
        self.rowID = rowID
        self.detail = detail
    }

    public var description: String {
        var location = place
        if let seq { location += " record \(seq)" }
        if let table {
            location += " \(table)"
            if let rowID { location += " row \(rowID)" }
        }
        return "\(location): \(kind.rawValue): \(detail)"
    }
}

/// What `log verify` checked and found.
public struct VerificationReport: Sendable {
    public var records = 0
    public var archivedRecords = 0
    public var archives = 0
    public var checkpoints = 0
    public var rows = 0
    public var lastSeq: Int64 = 0
    public var lastHash: [UInt8] = AuditRecord.genesis
    public var publicKey: [UInt8] = []
    public var issues: [VerificationIssue] = []

    public var isIntact: Bool { issues.isEmpty }
}
