import PortwardenCore

/// The JSON form of one finding, keys in the order ARCHITECTURE.md shows: rule, severity,
/// requirements, zone, host, transport, port, subject, message, remediation, evidence, fingerprint.
/// Missing values are `null` so every line has the same keys.
enum FindingJSON {
    static func value(_ finding: Finding) -> JSONValue {
        .object([
            ("rule", .string(finding.rule)),
            ("severity", .string(finding.severity.rawValue)),
            ("requirements", .array(finding.requirements.map { .string($0.id) })),
            ("zone", .optional(finding.zone)),
            ("host", .optional(finding.host?.description)),
            ("transport", .optional(finding.transport?.rawValue)),
            ("port", finding.port.map { .int(Int($0)) } ?? .null),
            ("subject", .optional(finding.subject)),
            ("message", .string(finding.message)),
            ("remediation", .string(finding.remediation)),
            ("evidence", .array(finding.evidence.map(evidence))),
            ("fingerprint", .string(finding.fingerprint)),
        ])
    }

    /// One evidence object, keys as `FindingEvidence` encodes them; absent fields are left out.
    static func evidence(_ item: FindingEvidence) -> JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string(item.kind)), ("summary", .string(item.summary))]
        if let time = item.time { members.append(("time", .string(Timestamp.format(time)))) }
        if let source = item.source { members.append(("source", .string(source.rawValue))) }
        if let vantage = item.vantage { members.append(("vantage", .string(vantage))) }
        return .object(members)
    }

    /// JSON Lines: one finding per line, most severe first, each line ending in a newline.
    static func lines(_ findings: [Finding]) -> String {
        FindingLines.write(findings)
    }
}
