import PortwardenCore
import PortwardenPolicy

/// Findings as JUnit XML: a test suite per rule (its name and description from the rule table as
/// suite properties), a test case per finding; a finding at or above
/// `failOn` is a failure, one below it passes with its details in `system-out`.
struct JUnitFormat: Sendable {
    let failOn: Severity
    let timestamp: String?

    func render(_ findings: [Finding]) -> String {
        let ordered = findings.sorted(by: Finding.reportOrder)
        let rules = Array(Set(ordered.map(\.rule))).sorted()
        let failures = ordered.filter { EvaluationRule.fails($0, at: failOn) }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let total = max(ordered.count, 1)
        out += "<testsuites name=\"portwarden\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"0\">\n"
        if ordered.isEmpty {
            out += "  <testsuite name=\"portwarden\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\"\(stamp)>\n"
            out += "    <testcase classname=\"portwarden\" name=\"no findings\"/>\n"
            out += "  </testsuite>\n"
        }
        for rule in rules {
            out += suite(rule, findings: ordered.filter { $0.rule == rule })
        }
        out += "</testsuites>\n"
        return out
    }

    private var stamp: String {
        timestamp.map { " timestamp=\"\(MarkupEscaping.xml($0))\"" } ?? ""
    }

    private func suite(_ rule: String, findings: [Finding]) -> String {
        let failures = findings.filter { EvaluationRule.fails($0, at: failOn) }.count
        let name = MarkupEscaping.xml(rule)
        var out = "  <testsuite name=\"\(name)\" tests=\"\(findings.count)\" failures=\"\(failures)\""
        out += " errors=\"0\" skipped=\"0\"\(stamp)>\n"
        out += "    <properties>\n"
        out += "      <property name=\"rule\" value=\"\(MarkupEscaping.xml(RuleText.name(rule)))\"/>\n"
        out += "      <property name=\"description\" value=\"\(MarkupEscaping.xml(RuleText.summary(rule)))\"/>\n"
        out += "    </properties>\n"
        for finding in findings {
            out += testCase(finding)
        }
        out += "  </testsuite>\n"
        return out
    }

    private func testCase(_ finding: Finding) -> String {
        let name = MarkupEscaping.xml("\(finding.subjectLabel) [\(finding.fingerprint)]")
        var out = "    <testcase classname=\"\(MarkupEscaping.xml(finding.rule))\" name=\"\(name)\">\n"
        let body = MarkupEscaping.xml(details(finding))
        if EvaluationRule.fails(finding, at: failOn) {
            let message = MarkupEscaping.xml(finding.message)
            out += "      <failure message=\"\(message)\" type=\"\(finding.severity.rawValue)\">\(body)</failure>\n"
        } else {
            out += "      <system-out>\(body)</system-out>\n"
        }
        out += "    </testcase>\n"
        return out
    }

    private func details(_ finding: Finding) -> String {
        var lines = [
            "severity: \(finding.severity.rawValue)" + (finding.severity < failOn ? " (below fail-on \(failOn))" : ""),
            "requirements: " + (finding.requirements.isEmpty ? "none" : finding.requirementList),
            "subject: \(finding.subjectLabel)",
            "message: \(finding.message)",
            "fix: \(finding.remediation)",
            "fingerprint: \(finding.fingerprint)",
        ]
        for item in finding.evidence {
            let time = item.time.map { " at " + Timestamp.format($0) } ?? ""
            lines.append("evidence (\(item.kind)\(time)): \(item.summary)")
        }
        return lines.joined(separator: "\n")
    }
}
