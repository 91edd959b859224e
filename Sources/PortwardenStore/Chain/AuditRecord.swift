import Crypto

/// What an audit record says happened to a row.
public enum AuditAction: Int64, Sendable, CaseIterable {
    case insert = 1
    case update = 2
    /// The row was removed: moved to a monthly archive, or deleted past retention.
    case delete = 3
    /// An event with no row of its own (store created, archive file deleted); the payload says what.
    case note = 4

    public var name: String {
        switch self {
        case .insert: return "insert"
        case .update: return "update"
        case .delete: return "delete"
        case .note: return "note"
        }
    }
}

/// One link of the audit chain: a write to a chained table, hashed together with the previous link.
public struct AuditRecord: Hashable, Sendable {
    public var seq: Int64
    /// Microseconds since 1970 (UTC).
    public var time: Int64
    public var action: AuditAction
    /// `TableSchema.code`; 0 for notes.
    public var table: Int
    public var rowID: Int64
    /// The row's canonical encoding after the write (before it, for deletes); the note's text for notes.
    public var payload: [UInt8]
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    /// The hash of the first record's predecessor.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public init(
        seq: Int64, time: Int64, action: AuditAction, table: Int, rowID: Int64, payload: [UInt8],
        previousHash: [UInt8], hash: [UInt8]? = nil
    ) {
        self.seq = seq
        self.time = time
        self.action = action
        self.table = table
        self.rowID = rowID
        self.payload = payload
        self.previousHash = previousHash
        self.hash = []
        self.hash = hash ?? computedHash()
    }

    /// SHA-256 over the previous hash and the record's fields (docs/store.md gives the layout).
    public func computedHash() -> [UInt8] {
        Self.hash(
            seq: seq, time: time, action: action.rawValue, table: table, rowID: rowID, payload: payload,
            previousHash: previousHash)
    }

    static func hash(
        seq: Int64, time: Int64, action: Int64, table: Int, rowID: Int64, payload: [UInt8], previousHash: [UInt8]
    ) -> [UInt8] {
        // Through raw buffers: the generic `DataProtocol` entry points cost more than the hashing itself.
        payload.withUnsafeBytes { payload in
            previousHash.withUnsafeBytes { previousHash in
                ChainDigest.record(
                    seq: seq, time: time, action: action, table: Int64(table), rowID: rowID, payload: payload,
                    previousHash: previousHash
                ).bytes
            }
        }
    }

    /// The values of the record as an `audit_chain` row.
    var values: [SQLValue] {
        [
            .integer(seq), .integer(time), .integer(action.rawValue), .integer(Int64(table)), .integer(rowID),
            .blob(payload), .blob(previousHash), .blob(hash),
        ]
    }

    static let columns = ["seq", "time", "action", "table_code", "row_id", "payload", "prev_hash", "hash"]

    /// The table's name for people (`note` for notes).
    public var tableName: String { Self.tableName(code: table) }

    /// The name for people of a table code (`note` for 0).
    static func tableName(code: Int) -> String {
        code == 0 ? "note" : (StoreSchema.table(code: code)?.name ?? "table#\(code)")
    }
}
