/// A change record read back from the store (PCI DSS 6.5.1: reason, description, security impact,
/// approval, test evidence, back-out procedure, and who recorded it).
public struct StoredChangeRecord: Sendable, Hashable {
    public var id: Int64
    public var changeID: String
    public var time: Int64
    public var reason: String
    public var description: String
    public var securityImpact: String
    public var approvedBy: String
    public var testEvidence: String
    public var backOut: String
    public var recordedBy: String
    public var policyVersion: Int64?
    /// `policy`, `enforce`, …: what kind of change.
    public var kind: String

    init?(row: [SQLValue]) {
        guard row.count == StoreSchema.changeRecords.columns.count + 1, let id = row[0].integer,
            let time = row[2].integer
        else { return nil }
        self.id = id
        changeID = row[1].text ?? ""
        self.time = time
        reason = row[3].text ?? ""
        description = row[4].text ?? ""
        securityImpact = row[5].text ?? ""
        approvedBy = row[6].text ?? ""
        testEvidence = row[7].text ?? ""
        backOut = row[8].text ?? ""
        recordedBy = row[9].text ?? ""
        policyVersion = row[10].integer
        kind = row[11].text ?? ""
    }
}
