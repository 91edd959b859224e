import PortwardenCore

/// Parses the target of a `/proc/<pid>/fd/N` link: `socket:[12345]`.
enum SocketLink {
    /// The inode of a `socket:[N]` link target, or `nil` for any other target.
    static func inode<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
        let prefix: [UInt8] = Array("socket:[".utf8)
        guard bytes.count > prefix.count + 1, bytes.starts(with: prefix) else { return nil }
        var value: UInt64 = 0
        var digits = 0
        for byte in bytes.dropFirst(prefix.count) {
            if byte == UInt8(ascii: "]") { return digits > 0 ? value : nil }
            guard byte >= 48, byte <= 57, digits < 19 else { return nil }
            value = value * 10 + UInt64(byte - 48)
            digits += 1
        }
        return nil
    }

    /// The inode of a `net:[N]` namespace link target, or `nil`.
    static func namespaceInode(_ bytes: [UInt8]) -> UInt64? {
        let prefix: [UInt8] = Array("net:[".utf8)
        guard bytes.starts(with: prefix), bytes.last == UInt8(ascii: "]") else { return nil }
        let digits = bytes.dropFirst(prefix.count).dropLast()
        guard !digits.isEmpty, digits.count < 20, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + UInt64($1 - 48) }
    }
}
