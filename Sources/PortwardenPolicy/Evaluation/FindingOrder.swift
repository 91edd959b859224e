import PortwardenCore

/// Sorts findings in `Finding.reportOrder` without moving whole findings on every comparison:
/// the text fields are replaced by their ranks among the distinct values, the comparison runs on
/// small integer keys, and the findings are permuted once.
enum FindingOrder {
    /// 40 bytes: the address is two halves (a `UInt128` would align the key to 16 bytes and make it
    /// 64), and the stable sort moves keys, not findings.
    private struct Key {
        var rule: Int32
        var zone: Int32
        var subject: Int32
        var index: Int32
        var hostHigh: UInt64
        var hostLow: UInt64
        var port: UInt16
        var severity: UInt8
        var transport: UInt8
        var hasHost: Bool
        var hostIsIPv4: Bool

        static func < (a: Key, b: Key) -> Bool {
            if a.severity != b.severity { return a.severity > b.severity }
            if a.rule != b.rule { return a.rule < b.rule }
            if a.zone != b.zone { return a.zone < b.zone }
            if a.hasHost != b.hasHost { return !a.hasHost }
            if a.hostIsIPv4 != b.hostIsIPv4 { return a.hostIsIPv4 }
            if a.hostHigh != b.hostHigh { return a.hostHigh < b.hostHigh }
            if a.hostLow != b.hostLow { return a.hostLow < b.hostLow }
            if a.transport != b.transport { return a.transport < b.transport }
            if a.port != b.port { return a.port < b.port }
            if a.subject != b.subject { return a.subject < b.subject }
            return a.index < b.index
        }
    }

    /// Numbers the distinct strings of one field as they are met (one hash per finding), then
    /// ranks them in string order, so sorting needs no string comparison and no second lookup.
    private struct Interner {
        var ids: [String: Int32] = [:]
        var values: [String] = []

        /// Up to this many distinct values are found by comparing (rules, and subjects, are few;
        /// comparing a handful of short strings costs less than hashing one); past it, by hashing.
        static let scanLimit = 8

        mutating func id(_ value: String) -> Int32 {
            if values.count <= Interner.scanLimit {
                if let found = values.firstIndex(of: value) { return Int32(found) }
            } else if let id = ids[value] {
                return id
            }
            let id = Int32(values.count)
            values.append(value)
            if values.count == Interner.scanLimit + 1 {
                for (index, known) in values.enumerated() { ids[known] = Int32(index) }
            } else if values.count > Interner.scanLimit + 1 {
                ids[value] = id
            }
            return id
        }

        /// The string-order rank of each id.
        func ranks() -> [Int32] {
            var ranks = [Int32](repeating: 0, count: values.count)
            for (rank, id) in values.indices.sorted(by: { values[$0] < values[$1] }).enumerated() {
                ranks[id] = Int32(rank)
            }
            return ranks
        }
    }

    /// Severity rank, most severe first.
    private static func rank(_ severity: Severity) -> UInt8 {
        switch severity {
        case .info: return 0
        case .low: return 1
        case .medium: return 2
        case .high: return 3
        case .critical: return 4
        }
    }

    /// Merges two sorted key arrays (the keys are distinct, so the result is one sort's order).
    private static func merged(_ left: [Key], _ right: [Key]) -> [Key] {
        var merged: [Key] = []
        merged.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count, j < right.count {
            if right[j] < left[i] {
                merged.append(right[j])
                j += 1
            } else {
                merged.append(left[i])
                i += 1
            }
        }
        merged += left[i...]
        merged += right[j...]
        return merged
    }

    /// The findings sorted with `Finding.reportOrder` (stable for equal keys).
    static func sorted(_ input: [Finding]) -> [Finding] {
        var findings = input
        sort(&findings)
        return findings
    }

    /// Keys below which the sort stays on one thread.
    static let parallelThreshold = 100_000

    /// Sorts in place: integer keys are sorted, then the findings are permuted by swapping along
    /// the permutation's cycles, so no finding is copied. With `parallel`, a large key array is
    /// sorted as two halves on two threads and merged (the keys are distinct, so the order is the
    /// same as one sort's).
    static func sort(_ findings: inout [Finding], parallel: Bool = false) {
        // Field reads through the index: binding whole findings would retain and release each of
        // their strings and arrays.
        var rules = Interner()
        var zones = Interner()
        var subjects = Interner()
        var ids: [(rule: Int32, zone: Int32, subject: Int32)] = []
        ids.reserveCapacity(findings.count)
        for index in findings.indices {
            ids.append(
                (
                    rules.id(findings[index].rule), zones.id(findings[index].zone ?? ""),
                    subjects.id(findings[index].subject ?? "")
                ))
        }
        let ruleRanks = rules.ranks()
        let zoneRanks = zones.ranks()
        let subjectRanks = subjects.ranks()
        var keys: [Key] = []
        keys.reserveCapacity(findings.count)
        for index in findings.indices {
            let host = findings[index].host
            // "" < "tcp" < "udp", as the transport's text orders.
            let transport: UInt8 = findings[index].transport.map { $0 == .tcp ? 1 : 2 } ?? 0
            keys.append(
                Key(
                    rule: ruleRanks[Int(ids[index].rule)], zone: zoneRanks[Int(ids[index].zone)],
                    subject: subjectRanks[Int(ids[index].subject)], index: Int32(index), hostHigh: host?.high ?? 0,
                    hostLow: host?.low ?? 0, port: findings[index].port ?? 0, severity: rank(findings[index].severity),
                    transport: transport, hasHost: host != nil, hostIsIPv4: host?.isIPv4 ?? false))
        }
        let parts = ParallelRanges.parts(
            keys.count, enabled: parallel, minimumPerPart: parallelThreshold / 2, maximum: 2)
        if parts == 1 {
            keys.sort(by: <)
        } else {
            let unsorted = keys
            let halves = ParallelRanges.map(unsorted.count, parts: 2) { range in
                var part = Array(unsorted[range])
                part.sort(by: <)
                return part
            }
            keys = merged(halves[0], halves[1])
        }
        // Position i must receive the finding now at keys[i].index. Follow each cycle once.
        var placed = [Bool](repeating: false, count: keys.count)
        findings.withUnsafeMutableBufferPointer { buffer in
            for start in 0..<keys.count where !placed[start] {
                var current = start
                while true {
                    placed[current] = true
                    let source = Int(keys[current].index)
                    if source == start { break }
                    buffer.swapAt(current, source)
                    current = source
                }
            }
        }
    }
}
