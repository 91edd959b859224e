import PortwardenCore

/// Sorts findings in `Finding.reportOrder` without moving whole findings on every comparison:
/// the text fields are replaced by their ranks among the distinct values, the comparison runs on
/// small integer keys, and the findings are permuted once.
enum FindingOrder {
    private struct Key {
        var severity: Int
        var rule: Int32
        var zone: Int32
        var hasHost: Bool
        var hostIsIPv4: Bool
        var host: UInt128
        var transport: Int32
        var port: UInt16
        var subject: Int32
        var index: Int32

        static func < (a: Key, b: Key) -> Bool {
            if a.severity != b.severity { return a.severity > b.severity }
            if a.rule != b.rule { return a.rule < b.rule }
            if a.zone != b.zone { return a.zone < b.zone }
            if a.hasHost != b.hasHost { return !a.hasHost }
            if a.hostIsIPv4 != b.hostIsIPv4 { return a.hostIsIPv4 }
            if a.host != b.host { return a.host < b.host }
            if a.transport != b.transport { return a.transport < b.transport }
            if a.port != b.port { return a.port < b.port }
            if a.subject != b.subject { return a.subject < b.subject }
            return a.index < b.index
        }
    }

    /// The rank of every distinct value in string order.
    private static func ranks(_ values: Set<String>) -> [String: Int32] {
        var result: [String: Int32] = [:]
        for (rank, value) in values.sorted().enumerated() { result[value] = Int32(rank) }
        return result
    }

    /// The findings sorted with `Finding.reportOrder` (stable for equal keys).
    static func sorted(_ input: [Finding]) -> [Finding] {
        var findings = input
        sort(&findings)
        return findings
    }

    /// Sorts in place: integer keys are sorted, then the findings are permuted by swapping along
    /// the permutation's cycles, so no finding is copied.
    static func sort(_ findings: inout [Finding]) {
        var ruleSet: Set<String> = []
        var zoneSet: Set<String> = []
        var subjectSet: Set<String> = []
        for finding in findings {
            ruleSet.insert(finding.rule)
            zoneSet.insert(finding.zone ?? "")
            subjectSet.insert(finding.subject ?? "")
        }
        let rules = ranks(ruleSet)
        let zones = ranks(zoneSet)
        let subjects = ranks(subjectSet)
        let transports = ranks(Set(Transport.allCases.map(\.rawValue) + [""]))
        let severities = Dictionary(uniqueKeysWithValues: Severity.allCases.enumerated().map { ($1, $0) })
        var keys: [Key] = []
        keys.reserveCapacity(findings.count)
        for (index, finding) in findings.enumerated() {
            keys.append(
                Key(
                    severity: severities[finding.severity] ?? 0, rule: rules[finding.rule] ?? 0,
                    zone: zones[finding.zone ?? ""] ?? 0, hasHost: finding.host != nil,
                    hostIsIPv4: finding.host?.isIPv4 ?? false, host: finding.host?.value ?? 0,
                    transport: transports[finding.transport?.rawValue ?? ""] ?? 0, port: finding.port ?? 0,
                    subject: subjects[finding.subject ?? ""] ?? 0, index: Int32(index)))
        }
        keys.sort(by: <)
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
