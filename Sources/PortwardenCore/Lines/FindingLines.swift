/// The finding JSON-lines format of `check --format json` and `audit --format json` (documented
/// field by field in docs/formats.md): one object per finding, keys in the order rule, severity,
/// requirements, zone, host, transport, port, subject, message, remediation, evidence,
/// fingerprint; missing values are `null` so that every line has the same keys.
public enum FindingLines {
    /// One line per finding, most severe first, each ending with a newline.
    public static func write(_ findings: [Finding]) -> String {
        var output = ""
        output.reserveCapacity(findings.count * 400)
        for finding in findings.sorted(by: Finding.reportOrder) {
            line(finding, into: &output)
            output.append("\n")
        }
        return output
    }

    /// Appends one finding's JSON object (without a newline).
    public static func line(_ f: Finding, into output: inout String) {
        output.append("{\"rule\":")
        JSONString.append(f.rule, to: &output)
        output.append(",\"severity\":\"\(f.severity.rawValue)\",\"requirements\":[")
        for (index, requirement) in f.requirements.enumerated() {
            if index > 0 { output.append(",") }
            JSONString.append(requirement.id, to: &output)
        }
        output.append("]")
        field("zone", f.zone, into: &output)
        field("host", f.host?.description, into: &output)
        field("transport", f.transport?.rawValue, into: &output)
        output.append(",\"port\":")
        output.append(f.port.map { String($0) } ?? "null")
        field("subject", f.subject, into: &output)
        field("message", f.message, into: &output)
        field("remediation", f.remediation, into: &output)
        output.append(",\"evidence\":[")
        for (index, item) in f.evidence.enumerated() {
            if index > 0 { output.append(",") }
            evidence(item, into: &output)
        }
        output.append("]")
        field("fingerprint", f.fingerprint, into: &output)
        output.append("}")
    }

    /// One evidence object: `kind`, `summary`, then `time`, `source`, `vantage` when present.
    public static func evidence(_ item: FindingEvidence, into output: inout String) {
        output.append("{\"kind\":")
        JSONString.append(item.kind, to: &output)
        field("summary", item.summary, into: &output)
        if let time = item.time { field("time", Timestamp.format(time), into: &output) }
        if let source = item.source { field("source", source.rawValue, into: &output) }
        if let vantage = item.vantage { field("vantage", vantage, into: &output) }
        output.append("}")
    }

    private static func field(_ key: String, _ value: String?, into output: inout String) {
        output.append(",\"\(key)\":")
        if let value { JSONString.append(value, to: &output) } else { output.append("null") }
    }
}
