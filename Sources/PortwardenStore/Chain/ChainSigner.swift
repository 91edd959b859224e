import Crypto
import Foundation

/// The store's Ed25519 signing key: signs chain checkpoints. The private half stays in the data directory
/// (mode 0600); the public half is in the store and exportable for an assessor (`portwarden log export-key`).
public struct ChainSigner: Sendable {
    let privateKey: Curve25519.Signing.PrivateKey

    public init(privateKey: Curve25519.Signing.PrivateKey) { self.privateKey = privateKey }

    /// A new random key.
    public static func generate() -> ChainSigner { ChainSigner(privateKey: .init()) }

    public var publicKey: [UInt8] { Array(privateKey.publicKey.rawRepresentation) }

    /// Reads the key file; nil when it does not exist.
    public static func load(path: String) throws -> ChainSigner? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let raw = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw StoreError(.signingKey, "\(path): not a Portwarden signing key (64 hex digits of an Ed25519 seed)")
        }
        return ChainSigner(privateKey: key)
    }

    /// Writes the key file readable by its owner only.
    public func save(path: String) throws {
        let text = Hex.encode(privateKey.rawRepresentation) + "\n"
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw StoreError(.signingKey, "\(path): cannot write the signing key") }
    }

    /// The signature of a checkpoint over (seq, hash, time).
    public func sign(seq: Int64, hash: [UInt8], time: Int64) throws -> [UInt8] {
        Array(try privateKey.signature(for: Self.message(seq: seq, hash: hash, time: time)))
    }

    static func message(seq: Int64, hash: [UInt8], time: Int64) -> [UInt8] {
        var out = Array("portwarden-checkpoint-v1".utf8)
        CanonicalEncoding.appendInteger(UInt64(bitPattern: seq), width: 8, into: &out)
        out.append(contentsOf: hash)
        CanonicalEncoding.appendInteger(UInt64(bitPattern: time), width: 8, into: &out)
        return out
    }

    /// Whether `signature` is the key's signature of the checkpoint.
    public static func isValid(
        signature: [UInt8], seq: Int64, hash: [UInt8], time: Int64, publicKey: [UInt8]
    ) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message(seq: seq, hash: hash, time: time))
    }

    /// The public key as a PEM SubjectPublicKeyInfo (RFC 8410), readable by `openssl pkey -pubin`.
    public static func pem(publicKey: [UInt8]) -> String {
        let prefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
        let base64 = Data(prefix + publicKey).base64EncodedString()
        return "-----BEGIN PUBLIC KEY-----\n\(base64)\n-----END PUBLIC KEY-----\n"
    }

    /// The raw public key from a PEM file `pem(publicKey:)` wrote, or 64 hex digits.
    public static func parsePublicKey(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let raw = Hex.decode(trimmed), raw.count == 32 { return raw }
        let body = trimmed.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: body), der.count == 44 else { return nil }
        return Array(der.suffix(32))
    }
}
