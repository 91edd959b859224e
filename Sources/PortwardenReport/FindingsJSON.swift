import PortwardenCore

/// The `findings.json` document of a report directory: the run (tool, time, policy, scan size,
/// `fail_on`, verdict), counts by severity, and every finding in the JSON Lines object form, most
/// severe first. Indented, keys in a fixed order, so two runs diff cleanly.
public enum FindingsJSON {
    /// The schema version of the document; raised when a key changes meaning or disappears.
    public static let schemaVersion = 1

    /// Renders the document.
    /// - Parameter context: The run.
    /// - Returns: The JSON document, ending in a newline.
    public static func render(_ context: AuditContext) -> String {
        let counts = SeverityCounts(context.findings)
        var summary: [(String, JSONValue)] = [("total", .int(counts.total))]
        for severity in SeverityCounts.descending { summary.append((severity.rawValue, .int(counts[severity]))) }
        let document: JSONValue = .object([
            ("schema_version", .int(schemaVersion)),
            ("tool", .object([("name", .string("portwarden")), ("version", .string(context.toolVersion))])),
            ("generated_at", .string(Timestamp.format(context.generatedAt))),
            (
                "policy",
                .object([
                    ("path", .string(context.policyPath)), ("organization", .optional(context.policy.organization)),
                    ("entity", .string(context.policy.entity.rawValue)),
                ])
            ),
            (
                "scan",
                .object([
                    ("targets", .int(context.scannedTargets)), ("ports", .int(context.scannedPorts)),
                    ("duration_seconds", context.duration.map(JSONValue.double) ?? .null),
                    ("observations", .int(context.observationCount)),
                ])
            ),
            ("fail_on", .string(context.failOn.rawValue)),
            (
                "result",
                .string(
                    context.failed
                        ? "findings at or above fail_on" : "nothing at or above fail_on (not a compliance verdict)")
            ),
            ("summary", .object(summary)),
            ("findings", .array(context.orderedFindings.map(FindingJSON.value))),
        ])
        return document.pretty + "\n"
    }
}
