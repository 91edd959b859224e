import Foundation
import PortwardenCore
import PortwardenReport
import Testing

@Suite("Text format")
struct TextFormatTests {
    let findings = ReportFixtures.findings

    @Test func emptyFindingsSayNoFindings() {
        #expect(FindingRenderer(color: false).render([], format: .text, context: nil) == "No findings.\n")
        #expect(FindingRenderer(color: true).render([], format: .text, context: nil) == "No findings.\n")
    }

    @Test func colourOnlyWhenAsked() {
        let plain = FindingRenderer(color: false).render(findings, format: .text, context: nil)
        let coloured = FindingRenderer(color: true).render(findings, format: .text, context: nil)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1;31mcritical"))
        #expect(coloured.contains("\u{1B}[0m"))
        let stripped = Self.stripANSI(coloured)
        #expect(stripped == plain)
    }

    @Test func mostSevereFirstWhateverTheInputOrder() {
        let forward = FindingRenderer(color: false).render(findings, format: .text, context: nil)
        let backward = FindingRenderer(color: false).render(findings.reversed(), format: .text, context: nil)
        #expect(forward == backward)
        let severities = forward.split(separator: "\n").dropFirst().compactMap { line in
            Severity(rawValue: String(line.prefix { $0 != " " }))
        }
        #expect(severities == [.critical, .high, .high, .medium, .low, .info])
    }

    @Test func longMessagesAreWrappedWholeUnderTheirColumn() throws {
        let output = FindingRenderer(color: false).render(findings, format: .text, context: nil)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.first)
        let column = try #require(header.range(of: "MESSAGE")).lowerBound.utf16Offset(in: header)
        let start = try #require(lines.firstIndex { $0.contains("PW-UNAUTHORIZED-PORT") })
        var words = lines[start].dropFirst(column).split(separator: " ").map(String.init)
        var index = start + 1
        while index < lines.count, lines[index].hasPrefix(String(repeating: " ", count: column)),
            !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("fix:")
        {
            words += lines[index].split(separator: " ").map(String.init)
            index += 1
        }
        let message = try #require(findings.first { $0.rule == "PW-UNAUTHORIZED-PORT" }).message
        #expect(index > start + 1, "the long message should wrap onto more than one line")
        #expect(words.joined(separator: " ") == message)
        #expect(lines.allSatisfy { $0.count <= 120 })
    }

    @Test func everyFindingHasAFixLineAndCountsCloseTheOutput() {
        let output = FindingRenderer(color: false).render(findings, format: .text, context: nil)
        for finding in findings {
            #expect(
                output.contains("fix: " + finding.remediation.split(separator: " ").prefix(4).joined(separator: " ")))
        }
        #expect(output.hasSuffix("6 findings: 1 critical, 2 high, 1 medium, 1 low, 1 info\n"))
    }

    @Test func targetsNameHostPortAndTransport() {
        let output = FindingRenderer(color: false).render(findings, format: .text, context: nil)
        #expect(output.contains("10.20.1.12:21/tcp"))
        #expect(output.contains("[fd00::10]:5432/tcp"))
    }

    @Test func controlCharactersFromBannersNeverReachTheTerminal() {
        let hostile = Finding(
            rule: "PW-UNAUTHORIZED-PORT", severity: .high, requirements: [], zone: "z\u{1B}[2J",
            subject: "svc\nFAKE: PASS", message: "banner \u{1B}]0;owned\u{07} end",
            remediation: "fix\u{9B}31m it")
        for color in [false, true] {
            let text = FindingRenderer(color: color).render([hostile], format: .text, context: nil)
            #expect(!text.contains("\u{1B}]"))
            #expect(!text.contains("\u{1B}[2J"))
            #expect(!text.contains("\u{07}"))
            #expect(!text.contains("\u{9B}"))
            #expect(text.contains("banner \\u{1B}]0;owned\\u{7} end"))
        }
        let context = ReportFixtures.context(findings: [hostile])
        let summary = AuditSummary.render(context, color: false)
        #expect(!summary.contains("\u{1B}"))
        #expect(!summary.contains("\nFAKE: PASS"), "a newline in a subject must not start a line of its own")
        #expect(summary.contains("svc\\u{A}FAKE: PASS"))
    }

    static func stripANSI(_ text: String) -> String {
        var out = ""
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
