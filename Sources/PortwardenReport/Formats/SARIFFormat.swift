import PortwardenCore
import PortwardenPolicy

/// Findings as a SARIF 2.1.0 log: one run, one rule per rule id (tagged with its PCI DSS
/// requirement ids), one result per finding with a stable `portwarden/v1` partial fingerprint.
struct SARIFFormat: Sendable {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    let context: AuditContext?

    func render(_ findings: [Finding]) -> String {
        let ordered = findings.sorted(by: Finding.reportOrder)
        let ruleIds = orderedRuleIds(ordered)
        let rules = ruleIds.map { id in rule(id, findings: ordered.filter { $0.rule == id }) }
        let index = Dictionary(uniqueKeysWithValues: ruleIds.enumerated().map { ($1, $0) })
        var driver: [(String, JSONValue)] = [("name", .string("portwarden"))]
        driver.append(("version", .string(context?.toolVersion ?? "unknown")))
        driver.append(("rules", .array(rules)))
        var run: [(String, JSONValue)] = [("tool", .object([("driver", .object(driver))]))]
        if let context {
            run.append(("invocations", .array([invocation(context)])))
        }
        run.append(("results", .array(ordered.map { result($0, ruleIndex: index[$0.rule] ?? 0) })))
        let log: JSONValue = .object([
            ("$schema", .string(SARIFFormat.schema)),
            ("version", .string("2.1.0")),
            ("runs", .array([.object(run)])),
        ])
        return log.pretty + "\n"
    }

    /// SARIF levels: critical and high are errors, medium a warning, low and info notes.
    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    private func orderedRuleIds(_ findings: [Finding]) -> [String] {
        Array(Set(findings.map(\.rule))).sorted()
    }

    private func rule(_ id: String, findings: [Finding]) -> JSONValue {
        let requirements = Array(Set(findings.flatMap(\.requirements))).sorted()
        let worst = findings.map(\.severity).max() ?? .info
        var members: [(String, JSONValue)] = [("id", .string(id))]
        if let known = EvaluationRule.description(of: id) {
            members.append(("name", .string(SARIFFormat.pascalCase(known.name))))
        }
        members.append(("shortDescription", .object([("text", .string(RuleText.name(id)))])))
        members.append(("fullDescription", .object([("text", .string(RuleText.summary(id)))])))
        let remediation = RuleText.remediation(id)
        if !remediation.isEmpty { members.append(("help", .object([("text", .string(remediation))]))) }
        members.append(("defaultConfiguration", .object([("level", .string(SARIFFormat.level(worst)))])))
        members.append(("properties", .object([("tags", .array(requirements.map { .string($0.id) }))])))
        return .object(members)
    }

    /// A rule's `name` as an identifier-like word (`UnauthorizedPort`), the form SARIF viewers show
    /// beside the id: the letters and digits of the rule's short name, each word capitalised.
    static func pascalCase(_ text: String) -> String {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    private func invocation(_ context: AuditContext) -> JSONValue {
        .object([
            ("executionSuccessful", .bool(true)),
            ("endTimeUtc", .string(Timestamp.format(context.generatedAt))),
        ])
    }

    private func result(_ finding: Finding, ruleIndex: Int) -> JSONValue {
        var properties: [(String, JSONValue)] = [
            ("severity", .string(finding.severity.rawValue)),
            ("requirements", .array(finding.requirements.map { .string($0.id) })),
            ("remediation", .string(finding.remediation)),
        ]
        if let subject = finding.subject { properties.append(("subject", .string(subject))) }
        return .object([
            ("ruleId", .string(finding.rule)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(SARIFFormat.level(finding.severity))),
            ("message", .object([("text", .string(finding.message))])),
            ("locations", .array([location(finding)])),
            ("partialFingerprints", .object([("portwarden/v1", .string(finding.fingerprint))])),
            ("properties", .object(properties)),
        ])
    }

    /// A logical location `zone/host:port/transport` and, when the finding names a policy object
    /// and the policy path is known, a physical location in the policy file.
    private func location(_ finding: Finding) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let subject = finding.subject, let context, !context.policyPath.isEmpty {
            var physical: [(String, JSONValue)] = [
                ("artifactLocation", .object([("uri", .string(SARIFFormat.uri(context.policyPath)))]))
            ]
            if let line = context.policyLines[subject], line > 0 {
                physical.append(("region", .object([("startLine", .int(line))])))
            }
            members.append(("physicalLocation", .object(physical)))
        }
        let name = finding.host != nil || finding.port != nil ? finding.targetLabel : (finding.subject ?? "-")
        let qualified = [finding.zone, name].compactMap { $0 }.joined(separator: "/")
        members.append(
            (
                "logicalLocations",
                .array([
                    .object([
                        ("name", .string(name)), ("fullyQualifiedName", .string(qualified)),
                        ("kind", .string("resource")),
                    ])
                ])
            ))
        return .object(members)
    }

    /// A path as a URI reference: absolute paths become `file://` URIs; characters outside the
    /// unreserved set and `/` are percent-encoded.
    static func uri(_ path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) {
                out.append(c)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
