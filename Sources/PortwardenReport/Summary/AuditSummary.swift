import PortwardenCore

/// What `portwarden audit` prints: the header of the run, counts by severity, open ports found
/// against declared, the top findings with their fixes, the verdict and where the reports went.
public struct AuditSummary: Sendable {
    /// Renders the summary of a run.
    /// - Parameters:
    ///   - context: The run.
    ///   - color: ANSI colour only when true (the CLI passes `isatty(stdout)`).
    ///   - top: How many findings to list, most severe first (at least 0).
    ///   - reportPaths: The files the CLI wrote the reports to, listed at the end when not empty.
    /// - Returns: Lines of text ending in a newline.
    public static func render(
        _ context: AuditContext, color: Bool, top: Int = 10, reportPaths: [String] = []
    ) -> String {
        let style = TerminalStyle(color: color)
        var out = header(context, style: style)
        out += "\n" + counts(context, style: style)
        out += "\n" + openPorts(context) + "\n"
        out += requirements(context) + "\n"
        out += topFindings(context, style: style, top: max(0, top))
        out += "\n" + verdict(context, style: style) + "\n"
        if !reportPaths.isEmpty {
            out += "Reports written:\n" + reportPaths.map { "  \(TextLayout.printable($0))\n" }.joined()
        }
        return out
    }

    /// `3 findings at or above high (exit 1)` or `Nothing at or above high (exit 0)`, each saying
    /// what the exit status means and what it does not: a tool cannot state compliance.
    public static func verdictLine(_ context: AuditContext) -> String {
        let failing = context.failingFindings.count
        if failing == 0 {
            return "Nothing at or above \(context.failOn.rawValue) (exit 0). This is not a compliance verdict: it "
                + "covers only what this run probed and the requirements it evidences."
        }
        return "\(TextLayout.plural(failing, "finding")) at or above \(context.failOn.rawValue) (exit 1)."
    }

    static func header(_ context: AuditContext, style: TerminalStyle) -> String {
        let organization = context.policy.organization.map { ": " + TextLayout.printable($0) } ?? ""
        var out = style.bold("Portwarden audit\(organization)") + "\n"
        out += "  policy     \(TextLayout.printable(context.policyPath))\n"
        out += "  generated  \(Timestamp.format(context.generatedAt))\n"
        for line in context.scope { out += "  scope      \(TextLayout.printable(line))\n" }
        let coverage = context.coverage
        if !coverage.vantages.isEmpty || !coverage.sourceAddresses.isEmpty {
            let vantage = coverage.vantages.isEmpty ? "unknown" : coverage.vantages.joined(separator: ", ")
            let sources =
                coverage.sourceAddresses.isEmpty
                ? "not recorded" : coverage.sourceAddresses.map(\.description).joined(separator: ", ")
            out += "  from       vantage \(TextLayout.printable(vantage)); source address \(sources)\n"
        }
        var label = "  coverage   "
        for line in coverage.lines {
            out += label + line + "\n"
            label = "             "
        }
        if coverage.lines.isEmpty { out += "  coverage   no port was probed\n" }
        if let duration = context.duration { out += "  duration   \(TextLayout.duration(duration))\n" }
        return out
    }

    static func counts(_ context: AuditContext, style: TerminalStyle) -> String {
        let counts = SeverityCounts(context.findings)
        let width = String(counts.total).count
        var out = "Findings by severity\n"
        for severity in SeverityCounts.descending {
            let number = String(counts[severity])
            let padded = String(repeating: " ", count: width - number.count) + number
            let name = TextLayout.pad(severity.rawValue, 8)
            out += "  " + (counts[severity] > 0 ? style.severity(severity, name) : name) + "  \(padded)\n"
        }
        out += "  " + TextLayout.pad("total", 8) + "  \(counts.total)\n"
        return out
    }

    static func openPorts(_ context: AuditContext) -> String {
        let coverage = PortCoverage(policy: context.policy, observations: context.observations, at: context.generatedAt)
        var parts = ["\(coverage.open.count) found open", "\(coverage.declared.count) declared"]
        if !coverage.excepted.isEmpty { parts.append("\(coverage.excepted.count) under an exception") }
        parts.append("\(coverage.undeclaredCount) not declared")
        let services = TextLayout.plural(context.policy.services.count, "declared service")
        return "Open ports: " + parts.joined(separator: ", ") + " (\(services) in the policy)\n"
    }

    /// Per requirement touched: findings, evidence present, or not evidenced by this tool.
    static func requirements(_ context: AuditContext) -> String {
        var out = "Requirements (findings / evidence present / not evidenced by this tool)\n"
        for status in RequirementStatus.table(context) {
            out +=
                "  " + TextLayout.pad(status.requirement.id, 8) + TextLayout.pad(status.state.rawValue, 28)
                + TextLayout.printable(status.detail) + "\n"
        }
        return out
    }

    static func topFindings(_ context: AuditContext, style: TerminalStyle, top: Int) -> String {
        let ordered = context.orderedFindings
        guard !ordered.isEmpty else { return "No findings.\n" }
        let shown = Array(ordered.prefix(top))
        guard !shown.isEmpty else { return "" }
        let title = shown.count == ordered.count ? "Findings" : "Top \(shown.count) of \(ordered.count) findings"
        var out = style.bold(title + ", most severe first") + "\n"
        let numberWidth = String(shown.count).count
        for (index, finding) in shown.enumerated() {
            let number = String(index + 1)
            let prefix = String(repeating: " ", count: 2 + numberWidth - number.count) + number + ". "
            let indent = String(repeating: " ", count: prefix.count)
            let severity = style.severity(finding.severity, TextLayout.pad(finding.severity.rawValue, 8))
            out += prefix + severity + "  " + TextLayout.printable(finding.rule + "  " + finding.subjectLabel) + "\n"
            for line in TextLayout.wrap(TextLayout.printable(finding.message, keepingNewlines: true), width: 100) {
                out += indent + line + "\n"
            }
            let fix = TextLayout.wrap(TextLayout.printable(finding.remediation, keepingNewlines: true), width: 95)
            out += indent + "fix: " + fix[0] + "\n"
            for line in fix.dropFirst() { out += indent + "     " + line + "\n" }
        }
        return out
    }

    static func verdict(_ context: AuditContext, style: TerminalStyle) -> String {
        let line = verdictLine(context)
        return context.failed ? style.fail(line) : style.clear(line)
    }
}
