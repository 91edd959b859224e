import PortwardenCore

/// Renders findings in the formats of `portwarden check --format`.
public struct FindingRenderer: Sendable {
    /// Whether text output carries ANSI colour.
    public let color: Bool

    /// - Parameter color: ANSI colour in text output only when true (the CLI passes `isatty(stdout)`);
    ///   the machine formats never carry colour.
    public init(color: Bool) {
        self.color = color
    }

    /// Renders `findings`, most severe first.
    /// - Parameters:
    ///   - findings: The findings to render.
    ///   - format: The output format.
    ///   - context: The run the findings come from, when known: SARIF takes the tool version, time
    ///     and policy path from it, JUnit its `failOn` (default `high`).
    /// - Returns: The whole document, ending in a newline.
    public func render(_ findings: [Finding], format: FindingFormat, context: AuditContext?) -> String {
        switch format {
        case .text:
            return TextFindingsFormat(style: TerminalStyle(color: color)).render(findings)
        case .json:
            return FindingJSON.lines(findings)
        case .sarif:
            return SARIFFormat(context: context).render(findings)
        case .junit:
            let timestamp = context.map { Timestamp.format($0.generatedAt) }
            return JUnitFormat(failOn: context?.failOn ?? .high, timestamp: timestamp).render(findings)
        }
    }
}
