/// The on-disk webhook queue's format, without I/O: a header, then append-only records, each framed so
/// that a record torn by a crash or damaged on disk is found, reported with its byte offset and skipped.
///
///     header   "PWWQ" | version 1 | 3 zero bytes | queue id u64 | next id u64 | CRC-32 of the 24 bytes before
///     record   "WQ" | payload length u32 | CRC-32 of the length and the payload | payload
///     payload  kind u8 (1 alert, 2 done) | alert id u64 | the alert's JSON body (alert records only)
///
/// Integers are little-endian. An alert record adds an alert to the queue; a done record takes it out
/// (delivered, refused, out of attempts or dropped from a full queue). The alerts waiting are the alert
/// records without a done record, in the file's order. `WebhookQueueFile` (CLI) appends records and
/// compacts the file to a header and the waiting alerts by writing a new file and renaming it over.
public enum WebhookJournal {
    public static let headerSize = 28
    public static let recordHeaderSize = 10
    /// The largest alert body a record holds.
    public static let maxBody = 1 << 20
    /// Ids are below this, so that the next id never overflows.
    public static let idLimit: UInt64 = 1 << 62
    static let magic: [UInt8] = Array("PWWQ".utf8)
    static let version: UInt8 = 1
    static let marker: (UInt8, UInt8) = (UInt8(ascii: "W"), UInt8(ascii: "Q"))
    static let minPayload = 9
    static let maxPayload = minPayload + maxBody

    enum Kind: UInt8 {
        case alert = 1
        case done = 2
    }

    /// What a queue file holds.
    public struct Contents: Hashable, Sendable {
        /// A random number chosen when the file is created; with an alert's id, the delivery id.
        public var queueID: UInt64
        /// The id the next alert gets: above every id the file has seen.
        public var nextID: UInt64
        /// The alerts waiting, in the order they were queued.
        public var entries: [WebhookQueue.Entry]
        /// Records that were torn or damaged and skipped, in file order.
        public var problems: [WebhookJournalError]

        public init(
            queueID: UInt64, nextID: UInt64, entries: [WebhookQueue.Entry], problems: [WebhookJournalError] = []
        ) {
            self.queueID = queueID
            self.nextID = nextID
            self.entries = entries
            self.problems = problems
        }
    }

    /// The header of a file.
    public static func header(queueID: UInt64, nextID: UInt64) -> [UInt8] {
        var bytes = magic + [version, 0, 0, 0]
        append(queueID, to: &bytes)
        append(nextID, to: &bytes)
        append(UInt64(CRC32.checksum(bytes)), to: &bytes, width: 4)
        return bytes
    }

    /// The record that adds `entry` (its body at most `maxBody` bytes).
    public static func alertRecord(_ entry: WebhookQueue.Entry) -> [UInt8] {
        record(.alert, entry.id, body: Array(entry.body.utf8))
    }

    /// The record that takes alert `id` out of the queue.
    public static func doneRecord(_ id: UInt64) -> [UInt8] { record(.done, id, body: []) }

    /// A whole file holding only `entries`: what compaction writes.
    public static func file(queueID: UInt64, nextID: UInt64, entries: some Sequence<WebhookQueue.Entry>) -> [UInt8] {
        var bytes = header(queueID: queueID, nextID: nextID)
        for entry in entries { bytes += alertRecord(entry) }
        return bytes
    }

    private static func record(_ kind: Kind, _ id: UInt64, body: [UInt8]) -> [UInt8] {
        var payload = [kind.rawValue]
        append(id, to: &payload)
        payload += body
        var length: [UInt8] = []
        append(UInt64(payload.count), to: &length, width: 4)
        var bytes = [marker.0, marker.1] + length
        append(UInt64(CRC32.checksum(payload, continuing: CRC32.checksum(length))), to: &bytes, width: 4)
        return bytes + payload
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8], width: Int = 8) {
        for shift in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(shift)))) }
    }

    /// Reads a queue file's bytes: the header must be sound; a torn last record or a damaged one is a
    /// problem in `Contents.problems`, skipped, and reading goes on at the next record found.
    /// - Throws: `WebhookJournalError` when the header is missing or damaged (the file is not a queue file
    ///   this version can read, so nothing in it is trusted and it must not be overwritten).
    public static func parse(_ bytes: [UInt8]) throws(WebhookJournalError) -> Contents {
        let header = try readHeader(bytes)
        var entries: [WebhookQueue.Entry?] = []
        var index: [UInt64: Int] = [:]
        var seen = Set<UInt64>()
        var problems: [WebhookJournalError] = []
        var highest: UInt64?
        var offset = headerSize
        while offset < bytes.count {
            let framing = frame(bytes, at: offset)
            guard case .record(let end) = framing else {
                let resumed = resync(bytes, after: offset)
                var code: WebhookJournalError.Code
                switch framing {
                case .marker: code = .marker
                case .length: code = .length
                case .checksum: code = .checksum
                case .incomplete, .record: code = resumed == nil ? .torn : .length
                }
                let skipped = (resumed ?? bytes.count) - offset
                problems.append(WebhookJournalError(code, offset: offset, length: skipped))
                offset += skipped
                continue
            }
            defer { offset = end }
            let start = offset + recordHeaderSize
            let id = read(bytes, at: start + 1, width: 8)
            let length = end - offset
            guard let kind = Kind(rawValue: bytes[start]) else {
                problems.append(WebhookJournalError(.kind, offset: offset, length: length, value: UInt64(bytes[start])))
                continue
            }
            guard id < idLimit else {
                problems.append(WebhookJournalError(.id, offset: offset, length: length, value: id))
                continue
            }
            switch kind {
            case .alert:
                guard !seen.contains(id) else {
                    problems.append(WebhookJournalError(.duplicate, offset: offset, length: length, value: id))
                    continue
                }
                guard let body = String(validating: bytes[(start + minPayload)..<end], as: UTF8.self) else {
                    problems.append(WebhookJournalError(.encoding, offset: offset, length: length, value: id))
                    continue
                }
                seen.insert(id)
                highest = max(highest ?? id, id)
                index[id] = entries.count
                entries.append(WebhookQueue.Entry(id: id, body: body))
            case .done:
                guard end - start == minPayload else {
                    problems.append(
                        WebhookJournalError(.size, offset: offset, length: length, value: UInt64(end - start)))
                    continue
                }
                // A done record of an alert the file no longer holds (compacted away, or dropped before it
                // was written) changes nothing.
                if let position = index.removeValue(forKey: id) { entries[position] = nil }
            }
        }
        return Contents(
            queueID: header.queueID, nextID: max(header.nextID, highest.map { $0 + 1 } ?? 0),
            entries: entries.compactMap { $0 }, problems: problems)
    }

    private static func readHeader(_ bytes: [UInt8]) throws(WebhookJournalError) -> (queueID: UInt64, nextID: UInt64) {
        guard bytes.count >= headerSize else {
            throw bytes.starts(with: magic.prefix(bytes.count))
                ? WebhookJournalError(.header, offset: 0, length: bytes.count)
                : WebhookJournalError(.notQueueFile, offset: 0, length: min(bytes.count, magic.count))
        }
        guard bytes.starts(with: magic) else { throw WebhookJournalError(.notQueueFile, offset: 0, length: 4) }
        guard bytes[4] == version, bytes[5] == 0, bytes[6] == 0, bytes[7] == 0 else {
            throw WebhookJournalError(.version, offset: 4, length: 4, value: UInt64(bytes[4]))
        }
        guard read(bytes, at: 24, width: 4) == UInt64(CRC32.checksum(bytes[0..<24])) else {
            throw WebhookJournalError(.headerChecksum, offset: 24, length: 4)
        }
        let nextID = read(bytes, at: 16, width: 8)
        guard nextID <= idLimit else { throw WebhookJournalError(.id, offset: 16, length: 8, value: nextID) }
        return (read(bytes, at: 8, width: 8), nextID)
    }

    private enum Framing {
        /// A sound record ending at this offset.
        case record(end: Int)
        case marker
        case length
        /// The record runs past the end of the bytes.
        case incomplete
        case checksum
    }

    private static func frame(_ bytes: [UInt8], at offset: Int) -> Framing {
        let left = bytes.count - offset
        guard bytes[offset] == marker.0, left < 2 || bytes[offset + 1] == marker.1 else { return .marker }
        guard left >= recordHeaderSize else { return .incomplete }
        let length = Int(read(bytes, at: offset + 2, width: 4))
        guard length >= minPayload, length <= maxPayload else { return .length }
        guard length <= left - recordHeaderSize else { return .incomplete }
        let payload = (offset + recordHeaderSize)..<(offset + recordHeaderSize + length)
        let crc = CRC32.checksum(bytes[payload], continuing: CRC32.checksum(bytes[(offset + 2)..<(offset + 6)]))
        guard UInt64(crc) == read(bytes, at: offset + 6, width: 4) else { return .checksum }
        return .record(end: payload.upperBound)
    }

    /// The offset of the next sound record after `offset`, if any.
    private static func resync(_ bytes: [UInt8], after offset: Int) -> Int? {
        var candidate = offset + 1
        while candidate + recordHeaderSize <= bytes.count {
            if bytes[candidate] == marker.0, case .record = frame(bytes, at: candidate) { return candidate }
            candidate += 1
        }
        return nil
    }

    private static func read(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<width).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }
}
