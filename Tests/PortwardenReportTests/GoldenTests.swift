import Foundation
import PortwardenCore
import PortwardenReport
import Testing

/// Every format of the fixed run against its golden file (see `GoldenFile` for regenerating).
@Suite("Golden files")
struct GoldenTests {
    @Test(arguments: [
        (FindingFormat.text, "findings.txt"), (.json, "findings.jsonl"), (.sarif, "findings.sarif"),
        (.junit, "findings.junit.xml"),
    ])
    func findingFormats(format: FindingFormat, file: String) throws {
        let context = ReportFixtures.context()
        let output = FindingRenderer(color: false).render(context.findings, format: format, context: context)
        try GoldenFile.check(output, file)
    }

    @Test func auditSummary() throws {
        let output = AuditSummary.render(
            ReportFixtures.context(), color: false, top: 4, reportPaths: ["out/report.html", "out/findings.json"])
        try GoldenFile.check(output, "audit-summary.txt")
    }

    @Test func htmlReport() throws {
        try GoldenFile.check(HTMLReport.render(ReportFixtures.context()), "report.html")
    }

    @Test func findingsDocument() throws {
        try GoldenFile.check(FindingsJSON.render(ReportFixtures.context()), "findings.json")
    }
}
