import PortwardenCore

/// Byte-to-text helpers for banners and replies: nothing here trusts the peer's bytes.
enum DetectionText {
    /// The bytes as printable ASCII, control and non-ASCII bytes dropped, trimmed, at most `limit` characters.
    static func printable(_ bytes: some Collection<UInt8>, limit: Int = 200) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes where byte >= 0x20 && byte < 0x7F {
            scalars.append(Unicode.Scalar(byte))
            if scalars.count >= limit { break }
        }
        return String(scalars).trimmingSpaces()
    }

    /// The first line of `bytes` (up to CR or LF) as printable text; `nil` when empty.
    static func firstLine(_ bytes: [UInt8]) -> String? {
        let end = bytes.firstIndex { $0 == 10 || $0 == 13 } ?? bytes.endIndex
        let line = printable(bytes[..<end])
        return line.isEmpty ? nil : line
    }

    /// The lines of a text reply, split on LF with CR dropped, as printable text.
    static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 10, omittingEmptySubsequences: true).map { printable($0, limit: 1000) }
    }

    /// A decimal number from ASCII digits; `nil` for anything else.
    static func decimal(_ bytes: some Collection<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Whether `bytes` contain `needle` as ASCII, ignoring case.
    static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let target = Array(needle.lowercased().utf8)
        guard !target.isEmpty, bytes.count >= target.count else { return false }
        let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        for start in 0...(lowered.count - target.count) where lowered[start] == target[0] {
            if lowered[start..<(start + target.count)].elementsEqual(target) { return true }
        }
        return false
    }

    /// Whether `bytes` start with the ASCII `prefix`.
    static func starts(_ bytes: [UInt8], with prefix: String) -> Bool {
        bytes.starts(with: prefix.utf8)
    }

    /// The three-digit reply code at the start of a line (`220`, `234`, …).
    static func replyCode(_ line: [UInt8]) -> Int? {
        guard line.count >= 3 else { return nil }
        return decimal(line.prefix(3))
    }
}

extension String {
    /// The string without leading and trailing spaces.
    func trimmingSpaces() -> String {
        let trimmed = drop { $0 == " " }
        return String(trimmed.reversed().drop { $0 == " " }.reversed())
    }
}
