import Foundation

/// Reads the cold tier: the archives the chain lists, their files, and the rows they hold.
struct ArchiveReader {
    let location: StoreLocation

    enum Content {
        case missing
        case unreadable(String)
        case records([AuditRecord], hashMatches: Bool)
    }

    struct Entry {
        var month: String
        var path: String
        var sha256: String
        var firstSeq: Int64
        var lastSeq: Int64
        var lastHash: [UInt8]
        var deleted: Bool
        var content: Content
    }

    /// Every archive row, oldest first, with its file's content.
    func catalogue(_ session: any SQLSession) throws -> [Entry] {
        try session.query("SELECT \(StoreSchema.archives.selectList) FROM archives ORDER BY first_seq", []).map { row in
            let file = row[2].text ?? ""
            let path = location.archiveDirectory + "/" + file
            let deleted = !row[10].isNull
            var entry = Entry(
                month: row[1].text ?? "", path: path, sha256: row[3].text ?? "", firstSeq: row[4].integer ?? 0,
                lastSeq: row[5].integer ?? 0, lastHash: row[6].blob ?? [], deleted: deleted, content: .missing)
            if !deleted { entry.content = Self.read(path: path, sha256: entry.sha256) }
            return entry
        }
    }

    static func read(path: String, sha256: String) -> Content {
        guard let data = FileManager.default.contents(atPath: path) else { return .missing }
        let bytes = [UInt8](data)
        let matches = ArchiveFile.sha256(bytes) == sha256
        do {
            let decoded = try ArchiveFile.decode(bytes)
            return .records(decoded.records, hashMatches: matches && decoded.complete)
        } catch {
            return .unreadable((error as? StoreError)?.message ?? "\(error)")
        }
    }

    /// The last content of every row of `table` that the archives hold (`id` first).
    func rows(of table: TableSchema) throws -> [[SQLValue]] {
        let directory = location.archiveDirectory
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var latest: [Int64: (seq: Int64, payload: [UInt8])] = [:]
        for file in files.sorted() where file.hasSuffix(".pwa.gz") {
            guard let data = FileManager.default.contents(atPath: directory + "/" + file),
                let decoded = try? ArchiveFile.decode([UInt8](data))
            else { continue }
            for record in decoded.records where record.table == table.code {
                if (latest[record.rowID]?.seq ?? .min) < record.seq {
                    latest[record.rowID] = (record.seq, record.payload)
                }
            }
        }
        return latest.keys.sorted().compactMap { latest[$0].flatMap { CanonicalEncoding.decodeRow($0.payload) } }
    }
}
