import PortwardenCore

/// An inline SVG bar chart of findings by severity: one labelled bar per severity, most severe
/// on top, each with its count, plus a text title for screen readers.
enum SeverityChart {
    static let colors: [Severity: String] = [
        .critical: "#991b1b", .high: "#c2410c", .medium: "#a16207", .low: "#0e7490", .info: "#52525b",
    ]

    static func svg(_ counts: SeverityCounts) -> String {
        let rowHeight = 28
        let labelWidth = 80
        let barSpace = 300
        let width = labelWidth + barSpace + 50
        let height = rowHeight * SeverityCounts.descending.count + 8
        let largest = max(1, SeverityCounts.descending.map { counts[$0] }.max() ?? 1)
        let description = SeverityCounts.descending.map { "\(counts[$0]) \($0.rawValue)" }.joined(separator: ", ")
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\""
        out += " viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"chart-title\">\n"
        out += "<title id=\"chart-title\">Findings by severity: \(description)</title>\n"
        for (row, severity) in SeverityCounts.descending.enumerated() {
            let y = 4 + row * rowHeight
            let count = counts[severity]
            let length = count == 0 ? 0 : max(3, barSpace * count / largest)
            let color = colors[severity] ?? "#52525b"
            out += "<text x=\"0\" y=\"\(y + 18)\" font-size=\"13\" fill=\"#18181b\">\(severity.rawValue)</text>\n"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(length)\" height=\"\(rowHeight - 10)\""
            out += " fill=\"\(color)\" rx=\"2\"/>\n"
            out += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 18)\" font-size=\"13\" fill=\"#18181b\">"
            out += "\(count)</text>\n"
        }
        out += "</svg>"
        return out
    }
}
