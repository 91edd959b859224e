import PortwardenCore

/// nmap's comma-separated port range lists (`1-79,81-1000,8443`), as used by `scaninfo/@services`
/// and `extrareasons/@ports`.
enum NmapPortList {
    /// Parses a range list into a sorted set of ports; `0` is allowed (nmap can scan it).
    /// - Returns: `nil` when an item is not `PORT` or `LOW-HIGH` within 0–65535, or is reversed.
    static func parse(_ text: String) -> Set<UInt16>? {
        var ports = Set<UInt16>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = item.strippingCharacters(" \t")
            let bounds = trimmed.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = port(bounds[0]) else { return nil }
            let high = bounds.count == 2 ? port(bounds[1]) : low
            guard let high, low <= high else { return nil }
            for p in low...high { ports.insert(p) }
        }
        return ports
    }

    /// Formats ports as the shortest range list, ascending: `[1,2,3,5]` → `1-3,5`.
    static func format(_ ports: some Sequence<UInt16>) -> String {
        let sorted = Set(ports).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            let low = sorted[index]
            var high = low
            while index + 1 < sorted.count, sorted[index + 1] == high &+ 1, high < UInt16.max {
                index += 1
                high = sorted[index]
            }
            parts.append(low == high ? "\(low)" : "\(low)-\(high)")
            index += 1
        }
        return parts.joined(separator: ",")
    }

    private static func port(_ text: Substring) -> UInt16? {
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text),
            value <= 65535
        else { return nil }
        return UInt16(value)
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set` (no Foundation needed).
    func strippingCharacters(_ set: String) -> Substring {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return slice
    }
}
