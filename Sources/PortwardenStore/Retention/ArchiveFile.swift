import CompressNIO
import Crypto
import NIOCore

/// The bytes of a monthly archive: gzip over a header and the month's audit records, each a length and
/// the record's fields in canonical encoding. The file's SHA-256 is recorded in the chain when it is made.
enum ArchiveFile {
    static let magic = Array("portwarden-archive v1\n".utf8)

    /// The compressed file for a month's records.
    static func encode(month: String, records: [AuditRecord]) throws -> [UInt8] {
        var plain = magic
        CanonicalEncoding.encodeValue(.text(month), into: &plain)
        CanonicalEncoding.appendInteger(UInt64(records.count), width: 8, into: &plain)
        for record in records {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(record.payload.count + 128)
            CanonicalEncoding.appendInteger(UInt64(bitPattern: record.seq), width: 8, into: &bytes)
            CanonicalEncoding.appendInteger(UInt64(bitPattern: record.time), width: 8, into: &bytes)
            CanonicalEncoding.appendInteger(UInt64(record.action.rawValue), width: 1, into: &bytes)
            CanonicalEncoding.appendInteger(UInt64(record.table), width: 2, into: &bytes)
            CanonicalEncoding.appendInteger(UInt64(bitPattern: record.rowID), width: 8, into: &bytes)
            CanonicalEncoding.appendInteger(UInt64(record.payload.count), width: 4, into: &bytes)
            bytes += record.payload
            bytes += record.previousHash
            bytes += record.hash
            CanonicalEncoding.appendInteger(UInt64(bytes.count), width: 4, into: &plain)
            plain += bytes
        }
        var buffer = ByteBuffer(bytes: plain)
        do {
            let compressed = try buffer.compress(with: .gzip())
            return Array(compressed.readableBytesView)
        } catch {
            throw StoreError(.retention, "cannot compress the archive of \(month): \(error)")
        }
    }

    /// Decodes a file; throws a short reason when it is not a readable archive. Records that decode are
    /// returned even when a later one does not (`complete` says whether all did).
    static func decode(_ bytes: [UInt8]) throws -> (month: String, records: [AuditRecord], complete: Bool) {
        var buffer = ByteBuffer(bytes: bytes)
        let plain: [UInt8]
        do {
            let inflated = try buffer.decompress(with: .gzip(), maxSize: 1 << 32)
            plain = Array(inflated.readableBytesView)
        } catch {
            throw StoreError(.retention, "not a gzip stream (\(error))")
        }
        guard plain.starts(with: magic) else { throw StoreError(.retention, "not a Portwarden archive") }
        var reader = ByteReader(bytes: Array(plain.dropFirst(magic.count)))
        guard reader.byte() == 3, let length = reader.integer(width: 4), let monthBytes = reader.bytes(Int(length)),
            let count = reader.integer(width: 8)
        else { throw StoreError(.retention, "the archive header is damaged") }
        var records: [AuditRecord] = []
        for _ in 0..<count {
            guard let length = reader.integer(width: 4), let bytes = reader.bytes(Int(length)),
                let record = decodeRecord(bytes)
            else { return (String(decoding: monthBytes, as: UTF8.self), records, false) }
            records.append(record)
        }
        return (String(decoding: monthBytes, as: UTF8.self), records, reader.atEnd)
    }

    static func decodeRecord(_ bytes: [UInt8]) -> AuditRecord? {
        var reader = ByteReader(bytes: bytes)
        guard let seq = reader.integer(width: 8), let time = reader.integer(width: 8),
            let action = reader.integer(width: 1).flatMap({ AuditAction(rawValue: Int64($0)) }),
            let table = reader.integer(width: 2), let rowID = reader.integer(width: 8),
            let length = reader.integer(width: 4), let payload = reader.bytes(Int(length)),
            let previous = reader.bytes(32), let hash = reader.bytes(32), reader.atEnd
        else { return nil }
        return AuditRecord(
            seq: Int64(bitPattern: seq), time: Int64(bitPattern: time), action: action, table: Int(table),
            rowID: Int64(bitPattern: rowID), payload: payload, previousHash: previous, hash: hash)
    }

    static func sha256(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(data: bytes)) }
}
