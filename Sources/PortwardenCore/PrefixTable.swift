/// A longest-prefix-match table from prefixes to values, answering each lookup by binary search.
///
/// Nested prefixes are flattened at build time into disjoint address intervals that carry the
/// value of the most specific prefix covering them, so a lookup costs O(log n) however many
/// prefixes there are (1M lookups against thousands of prefixes is not a linear scan).
public struct PrefixTable<Value: Sendable>: Sendable {
    struct Interval: Sendable {
        var first: UInt128
        var last: UInt128
        var value: Value
        var prefix: Prefix
    }

    private var v4: [Interval] = []
    private var v6: [Interval] = []

    /// The number of disjoint intervals the table holds (for diagnostics).
    public var intervalCount: Int { v4.count + v6.count }

    /// Builds the table. When the same prefix appears twice, the later entry wins.
    public init(_ entries: [(Prefix, Value)]) {
        var families: [[(Prefix, Value)]] = [[], []]
        for (prefix, value) in entries { families[prefix.isIPv4 ? 0 : 1].append((prefix, value)) }
        v4 = Self.flatten(families[0])
        v6 = Self.flatten(families[1])
    }

    /// Sweeps prefixes sorted by start (longer first for equal starts is wrong: shorter first, so
    /// that the more specific block is pushed last) and emits the uncovered gaps of each enclosing
    /// block around its children.
    private static func flatten(_ entries: [(Prefix, Value)]) -> [Interval] {
        // Deduplicate identical prefixes, keeping the last value.
        var unique: [Prefix: Int] = [:]
        var list: [(Prefix, Value)] = []
        for entry in entries {
            if let index = unique[entry.0] {
                list[index] = entry
            } else {
                unique[entry.0] = list.count
                list.append(entry)
            }
        }
        list.sort { a, b in
            a.0.first != b.0.first ? a.0.first < b.0.first : a.0.length < b.0.length
        }
        var out: [Interval] = []
        out.reserveCapacity(list.count * 2)
        // Stack of open enclosing blocks with the next address not yet emitted for each.
        var stack: [(prefix: Prefix, value: Value, cursor: UInt128, done: Bool)] = []

        func emit(_ first: UInt128, _ last: UInt128, _ value: Value, _ prefix: Prefix) {
            guard first <= last else { return }
            out.append(Interval(first: first, last: last, value: value, prefix: prefix))
        }
        func closeTop() {
            let top = stack.removeLast()
            if !top.done { emit(top.cursor, top.prefix.last, top.value, top.prefix) }
            if !stack.isEmpty {
                // The parent resumes after the child's last address.
                if top.prefix.last == UInt128.max || top.prefix.last >= stack[stack.count - 1].prefix.last {
                    stack[stack.count - 1].done = true
                } else {
                    stack[stack.count - 1].cursor = top.prefix.last + 1
                }
            }
        }
        for (prefix, value) in list {
            while let top = stack.last, !top.prefix.contains(prefix) { closeTop() }
            if let top = stack.last, !top.done {
                if prefix.first > 0 { emit(top.cursor, prefix.first - 1, top.value, top.prefix) }
                stack[stack.count - 1].cursor = prefix.first
            }
            stack.append((prefix, value, prefix.first, false))
        }
        while !stack.isEmpty { closeTop() }
        return out
    }

    /// The value and prefix of the most specific block containing `address`, or `nil`.
    public func lookup(_ address: IPAddress) -> (prefix: Prefix, value: Value)? {
        let table = address.isIPv4 ? v4 : v6
        let key = address.value
        var low = 0
        var high = table.count - 1
        while low <= high {
            let mid = (low + high) >> 1
            let interval = table[mid]
            if key < interval.first {
                high = mid - 1
            } else if key > interval.last {
                low = mid + 1
            } else {
                return (interval.prefix, interval.value)
            }
        }
        return nil
    }

    /// The value of the most specific block containing `address`.
    public subscript(_ address: IPAddress) -> Value? { lookup(address)?.value }
}

/// A set of addresses given as prefixes, with O(log n) membership.
public struct IPSet: Sendable, Hashable, Codable {
    /// The prefixes the set was built from, as given.
    public let prefixes: [Prefix]
    private let v4: IntervalSet
    private let v6: IntervalSet

    /// Builds the set from prefixes; overlapping and adjacent blocks are merged.
    public init(_ prefixes: [Prefix]) {
        self.prefixes = prefixes
        v4 = IntervalSet(prefixes.filter(\.isIPv4).map { $0.first...$0.last })
        v6 = IntervalSet(prefixes.filter { !$0.isIPv4 }.map { $0.first...$0.last })
    }

    /// Whether the set holds no address.
    public var isEmpty: Bool { v4.isEmpty && v6.isEmpty }

    /// Whether `address` is in the set.
    public func contains(_ address: IPAddress) -> Bool {
        address.isIPv4 ? v4.contains(address.value) : v6.contains(address.value)
    }

    public init(from decoder: any Decoder) throws {
        self.init(try [Prefix](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try prefixes.encode(to: encoder)
    }

    public static func == (lhs: IPSet, rhs: IPSet) -> Bool { lhs.prefixes == rhs.prefixes }
    public func hash(into hasher: inout Hasher) { hasher.combine(prefixes) }
}
