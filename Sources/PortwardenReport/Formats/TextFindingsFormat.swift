import PortwardenCore

/// Findings as aligned columns for a terminal: severity, rule, zone, target and the whole message
/// (wrapped under its column, never cut), a fix line under each, severity counts at the end.
struct TextFindingsFormat: Sendable {
    let style: TerminalStyle
    /// The width the message column wraps at; messages are wrapped, never truncated.
    var lineWidth = 120

    func render(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "No findings.\n" }
        let ordered = findings.sorted(by: Finding.reportOrder)
        let headers = ["SEVERITY", "RULE", "ZONE", "TARGET"]
        let cells = ordered.map {
            [$0.severity.rawValue, TextLayout.printable($0.rule), TextLayout.printable($0.zone ?? "-"), $0.targetLabel]
        }
        let widths = headers.indices.map { column in
            cells.reduce(headers[column].count) { max($0, $1[column].count) }
        }
        let messageColumn = widths.reduce(0) { $0 + $1 + 2 }
        let messageWidth = max(40, lineWidth - messageColumn)
        let indent = String(repeating: " ", count: messageColumn)

        var out = style.bold(line(headers, widths: widths) + "MESSAGE") + "\n"
        for (finding, row) in zip(ordered, cells) {
            var columns = row.map { $0 }
            columns[0] = style.severity(finding.severity, TextLayout.pad(row[0], widths[0]))
            let messageLines = TextLayout.wrap(
                TextLayout.printable(finding.message, keepingNewlines: true), width: messageWidth)
            out += line(columns, widths: widths, padded: [true, false, false, false]) + messageLines[0] + "\n"
            for continuation in messageLines.dropFirst() { out += indent + continuation + "\n" }
            let fixLines = TextLayout.wrap(
                TextLayout.printable(finding.remediation, keepingNewlines: true),
                width: max(40, lineWidth - widths[0] - 7))
            let fixIndent = String(repeating: " ", count: widths[0] + 2)
            out += fixIndent + style.dim("fix: " + fixLines[0]) + "\n"
            for continuation in fixLines.dropFirst() { out += fixIndent + "     " + style.dim(continuation) + "\n" }
        }
        out += "\n" + summaryLine(ordered) + "\n"
        return out
    }

    /// `5 findings: 1 critical, 2 high, 1 medium, 0 low, 1 info`.
    func summaryLine(_ findings: [Finding]) -> String {
        let counts = SeverityCounts(findings)
        let parts = SeverityCounts.descending.map { severity -> String in
            let text = "\(counts[severity]) \(severity.rawValue)"
            return counts[severity] > 0 ? style.severity(severity, text) : text
        }
        return TextLayout.plural(counts.total, "finding") + ": " + parts.joined(separator: ", ")
    }

    /// The cells padded to their widths and separated by two spaces; a cell listed as already
    /// padded (styled text whose escape codes must not count) is taken as is.
    private func line(_ cells: [String], widths: [Int], padded: [Bool] = []) -> String {
        var out = ""
        for (index, cell) in cells.enumerated() {
            let isPadded = index < padded.count && padded[index]
            out += (isPadded ? cell : TextLayout.pad(cell, widths[index])) + "  "
        }
        return out
    }
}
