import Foundation

/// The latest signed checkpoint, also kept as a file beside the signing key: a copy outside the database,
/// so that deleting the newest records together with their checkpoints is still noticed (`log verify`
/// compares the chain with it).
public struct ChainHead: Hashable, Sendable {
    public var seq: Int64
    public var hash: [UInt8]
    public var time: Int64
    public var signature: [UInt8]

    init(record: AuditRecord, signer: ChainSigner) throws {
        seq = record.seq
        hash = record.hash
        time = record.time
        signature = try signer.sign(seq: seq, hash: hash, time: time)
    }

    public init(seq: Int64, hash: [UInt8], time: Int64, signature: [UInt8]) {
        self.seq = seq
        self.hash = hash
        self.time = time
        self.signature = signature
    }

    var text: String {
        "portwarden-chain-head v1 seq=\(seq) hash=\(Hex.encode(hash)) time=\(time) signature=\(Hex.encode(signature))\n"
    }

    /// Writes the file atomically (a new file renamed over the old), so that a crash leaves the old or the new.
    func save(path: String) throws {
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw StoreError(.backend, "\(temporary): cannot write the chain head")
        }
        guard rename(temporary, path) == 0 else {
            throw StoreError(.backend, "\(path): cannot replace the chain head")
        }
    }

    /// Reads the file; nil when there is none, an error when it is not a chain head.
    public static func load(path: String) throws -> ChainHead? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var fields: [String: String] = [:]
        for part in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard text.hasPrefix("portwarden-chain-head v1 "), let seq = fields["seq"].flatMap({ Int64($0) }),
            let hash = fields["hash"].flatMap(Hex.decode), let time = fields["time"].flatMap({ Int64($0) }),
            let signature = fields["signature"].flatMap(Hex.decode)
        else { throw StoreError(.input, "\(path): not a Portwarden chain head") }
        return ChainHead(seq: seq, hash: hash, time: time, signature: signature)
    }
}
