import PortwardenCore
import PortwardenEnforce
import PortwardenReport

/// The text and JSON output of `segment-test`.
enum SegmentReport {
    static func render(_ result: SegmentationResult, format: SegmentFormat, evidencePath: String) -> String {
        if format == .json {
            return FindingRenderer(color: false).render(result.findings, format: .json, context: nil)
        }
        let plan = result.plan
        var lines = [
            "Segmentation test from \(plan.vantage.id) (\(plan.vantage.kind.rawValue)), source \(plan.sourceAddress)",
            "",
            pad([
                "TARGET ZONE", "KIND", "PROTO", "HOSTS", "PROBES", "ALLOWED", "CONNECTED", "BLOCKED", "MUST-FILTER",
                "FILTERED", "BREACHES",
            ]),
        ]
        for row in result.matrix {
            lines.append(
                pad([
                    row.targetZone, row.targetKind.rawValue, row.transport.rawValue, "\(row.hosts)", "\(row.probes)",
                    "\(row.expectedAllowed)", "\(row.connected + row.reachedClosed)", "\(row.blocked)",
                    "\(row.expectedFiltered)", "\(row.filtered + row.silent)", "\(row.breaches)",
                ]))
        }
        lines.append("")
        let text = FindingRenderer(color: Terminal.stdoutWantsColor).render(
            result.findings, format: .text, context: nil)
        return lines.joined(separator: "\n") + "\n" + text
    }

    static let widths = [12, 13, 6, 6, 8, 8, 10, 8, 12, 9, 8]

    static func pad(_ cells: [String]) -> String {
        zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined().trimmingSuffixSpaces()
    }
}

extension String {
    fileprivate func trimmingSuffixSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
