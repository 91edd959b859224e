import Foundation
import PortwardenCore
import PortwardenReport
import Testing

@Suite("Audit summary")
struct AuditSummaryTests {
    @Test func verdictFailsAtOrAboveFailOn() {
        let context = ReportFixtures.context()
        let output = AuditSummary.render(context, color: false)
        #expect(output.contains("3 findings at or above high (exit 1).\n"))
        let critical = AuditSummary.render(ReportFixtures.context(failOn: .critical), color: false)
        #expect(critical.contains("1 finding at or above critical (exit 1).\n"))
    }

    @Test func verdictPassesWithoutFindingsAtFailOn() {
        let lowOnly = ReportFixtures.findings.filter { $0.severity < .high }
        let output = AuditSummary.render(ReportFixtures.context(findings: lowOnly), color: false)
        #expect(output.contains("Nothing at or above high (exit 0). This is not a compliance verdict"))
        let none = AuditSummary.render(ReportFixtures.context(findings: []), color: false)
        #expect(none.contains("No findings.\n"))
        #expect(none.contains("Nothing at or above high (exit 0)."))
        for text in [output, none] {
            #expect(!text.contains("PASS") && !text.lowercased().contains("compliant"))
        }
    }

    @Test func headerNamesTheRun() {
        let output = AuditSummary.render(ReportFixtures.context(), color: false)
        #expect(output.hasPrefix("Portwarden audit: Example Payments Ltd\n"))
        #expect(output.contains("policy     policies/cde policy.yaml\n"))
        #expect(output.contains("generated  2026-12-10T09:30:00Z\n"))
        #expect(output.contains("  coverage   "), "coverage as probed, never a targets × ports product")
        #expect(!output.contains("512 targets × 1000 ports"))
        #expect(output.contains("  duration   43 s\n"))
        #expect(output.contains("Requirements (findings / evidence present / not evidenced by this tool)\n"))
        #expect(output.contains("11.4.5  not evidenced by this tool"))
    }

    @Test func countsAreAlignedBySeverity() {
        let output = AuditSummary.render(ReportFixtures.context(), color: false)
        #expect(output.contains("  critical  1\n  high      2\n  medium    1\n  low       1\n  info      1\n"))
        #expect(output.contains("  total     6\n"))
    }

    @Test func openPortsFoundAgainstDeclared() {
        // Open: 10.20.1.10 tcp/5432 (pg-primary), 10.20.2.5 tcp/443 (web-api), 10.20.1.12 tcp/23 (EX-7),
        // 10.20.1.12 tcp/21 (nothing). udp/161 open|filtered and tcp/22 closed do not count.
        let output = AuditSummary.render(ReportFixtures.context(), color: false)
        #expect(
            output.contains(
                "Open ports: 4 found open, 2 declared, 1 under an exception, 1 not declared (3 declared services"))
    }

    @Test func topNMostSevereFirstWithFixes() throws {
        let output = AuditSummary.render(ReportFixtures.context(), color: false, top: 2)
        #expect(output.contains("Top 2 of 6 findings, most severe first\n"))
        let first = try #require(output.range(of: "1. critical  PW-UNAUTHORIZED-PORT"))
        let second = try #require(output.range(of: "2. high      PW-EXCEPTION-EXPIRED"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(output.contains("fix: Stop the FTP server on 10.20.1.12"))
        #expect(!output.contains("  3. "))
    }

    @Test func reportPathsAreListedWhenGiven() {
        let without = AuditSummary.render(ReportFixtures.context(), color: false)
        #expect(!without.contains("Reports written"))
        let with = AuditSummary.render(ReportFixtures.context(), color: false, reportPaths: ["r/report.html"])
        #expect(with.hasSuffix("Reports written:\n  r/report.html\n"))
    }

    @Test func colourOnlyWhenAsked() {
        #expect(!AuditSummary.render(ReportFixtures.context(), color: false).contains("\u{1B}["))
        let coloured = AuditSummary.render(ReportFixtures.context(), color: true)
        #expect(coloured.contains("\u{1B}[1;31m3 findings at or above high (exit 1).\u{1B}[0m"))
        #expect(TextFormatTests.stripANSI(coloured) == AuditSummary.render(ReportFixtures.context(), color: false))
    }
}
