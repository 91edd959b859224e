/// What is wrong with a webhook queue file, at a byte offset: a damaged header (the file cannot be used)
/// or a record that was torn or damaged and skipped.
public struct WebhookJournalError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// Shorter than the header, starting as one does.
        case header
        /// Does not start with the queue file's magic.
        case notQueueFile
        case version
        case headerChecksum
        /// The last record ends before its length says: the process stopped while writing it.
        case torn
        /// No record marker where a record should start.
        case marker
        /// A record length outside what a record can have.
        case length
        case checksum
        /// A sound record of an unknown kind.
        case kind
        /// A done record that is not 9 bytes.
        case size
        /// An alert id that is already queued.
        case duplicate
        /// An alert body that is not UTF-8.
        case encoding
        /// An id at or above `WebhookJournal.idLimit`.
        case id
    }

    public var code: Code
    /// The 0-based byte offset of the header field or record.
    public var offset: Int
    /// The bytes skipped from `offset` (for header codes, of the field).
    public var length: Int
    /// The kind, id, version or size the message names.
    public var value: UInt64

    public init(_ code: Code, offset: Int, length: Int, value: UInt64 = 0) {
        self.code = code
        self.offset = offset
        self.length = length
        self.value = value
    }

    /// Whether the file cannot be read at all (a damaged header) rather than one record being skipped.
    public var isFatal: Bool {
        switch code {
        case .header, .notQueueFile, .version, .headerChecksum: return true
        case .id: return offset < WebhookJournal.headerSize
        default: return false
        }
    }

    public var description: String {
        let at = "byte \(offset): "
        let skipped = "\(length) byte\(length == 1 ? "" : "s") skipped up to the next record"
        switch code {
        case .header: return at + "shorter than the \(WebhookJournal.headerSize)-byte header of a webhook queue file"
        case .notQueueFile: return at + "not a portwarden webhook queue file (it does not start with PWWQ)"
        case .version: return at + "webhook queue format version \(value) is not supported (this version reads 1)"
        case .headerChecksum: return at + "the header's checksum does not match"
        case .torn:
            let bytes = "\(length) byte\(length == 1 ? "" : "s")"
            return at + "the last record is torn (\(bytes), written when the process stopped); ignored"
        case .marker: return at + "no record starts here; " + skipped
        case .length: return at + "a record's length is impossible or runs into the next record; " + skipped
        case .checksum: return at + "a record's checksum does not match; " + skipped
        case .kind: return at + "a record of unknown kind \(value); skipped"
        case .size: return at + "a done record with a \(value)-byte payload (9 expected); skipped"
        case .duplicate: return at + "alert \(value) is already queued; the repeat is skipped"
        case .encoding: return at + "the body of alert \(value) is not UTF-8; skipped"
        case .id: return at + "id \(value) is out of range (ids are below \(WebhookJournal.idLimit))"
        }
    }
}
