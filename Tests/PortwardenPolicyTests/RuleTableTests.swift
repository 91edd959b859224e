import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

/// `EvaluationRule.all` is the one table of rules: every id a finding can carry has a description
/// there, every id there is raised somewhere, and `docs/rules.md` shows the table as it is.
@Suite("One rule table")
struct RuleTableTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The Swift files under `Sources/`, by path relative to the package root.
    static func sources() throws -> [(path: String, text: String)] {
        let root = packageRoot.appendingPathComponent("Sources")
        var files: [(String, String)] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let file = enumerator?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let path = String(file.path.dropFirst(packageRoot.path.count + 1))
            files.append((path, try String(contentsOf: file, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The table's own files, where the ids are spelled out.
    static func isTable(_ path: String) -> Bool {
        path.hasPrefix("Sources/PortwardenPolicy/Evaluation/EvaluationRule")
    }

    /// `static let name = "PW-…"` in the table's files: the constants findings take their id from.
    static func constants() throws -> [String: String] {
        let pattern = try Regex(#"static let ([a-zA-Z]+) = "(PW-[A-Z0-9-]+)""#)
        var byName: [String: String] = [:]
        for (path, text) in try sources() where isTable(path) {
            for match in text.matches(of: pattern) {
                if let name = match.output[1].substring, let id = match.output[2].substring {
                    byName[String(name)] = String(id)
                }
            }
        }
        return byName
    }

    @Test func everyConstantIsDescribedAndRaised() throws {
        let constants = try Self.constants()
        #expect(constants.count >= 27, "found \(constants.count) rule constants; the pattern no longer matches?")
        let elsewhere = try Self.sources().filter { !Self.isTable($0.path) }.map(\.text).joined(separator: "\n")
        for (name, id) in constants.sorted(by: { $0.key < $1.key }) {
            #expect(EvaluationRule.description(of: id) != nil, "\(id) (EvaluationRule.\(name)) has no description")
            let used = elsewhere.contains("EvaluationRule.\(name)")
            #expect(used, "\(id) (EvaluationRule.\(name)) is described but nothing outside the table raises it")
        }
        #expect(Set(constants.values) == Set(EvaluationRule.all.map(\.id)), "the table and its constants differ")
    }

    /// An id spelled as a literal outside the table would bypass it: there is none, and any `PW-…`
    /// literal anywhere has a description.
    @Test func noRuleIDLiteralOutsideTheTable() throws {
        let literal = try Regex(#""(PW-[A-Z0-9-]*[A-Z0-9])""#)
        for (path, text) in try Self.sources() where !Self.isTable(path) {
            for match in text.matches(of: literal) {
                let id = match.output[1].substring.map(String.init) ?? ""
                Issue.record("\(path) spells rule id \(id) as a literal; use its EvaluationRule constant")
            }
        }
    }

    @Test func everyRulePackRuleRaisesADescribedRule() {
        for rule in InsecureServiceRulePack.builtIn.rules {
            #expect(EvaluationRule.description(of: rule.findingRule) != nil, "\(rule.id) raises \(rule.findingRule)")
        }
    }

    @Test func descriptionsAreComplete() {
        #expect(Set(EvaluationRule.all.map(\.id)).count == EvaluationRule.all.count, "an id is listed twice")
        for rule in EvaluationRule.all {
            #expect(!rule.name.isEmpty && !rule.summary.isEmpty && !rule.remediation.isEmpty, "\(rule.id)")
            #expect(!rule.raisedBy.isEmpty, "\(rule.id)")
            let unknown = rule.requirements.filter { !$0.isKnown }
            #expect(unknown.isEmpty, "\(rule.id): \(unknown)")
        }
    }

    /// Every finding of a mixed evaluation (ports, rule pack, host view, policy checks) carries a
    /// described id.
    @Test func evaluatedFindingsAreDescribed() {
        let observations = [
            Fixture.obs("10.20.1.12", port: 23, handshakes: ["INS-TELNET": "confirmed"]),
            Fixture.obs("10.20.1.13", port: 23),
            Fixture.obs("10.20.1.10", port: 5432),
            Fixture.obs("10.20.1.10", port: 8080),
            Fixture.obs("10.99.0.1", port: 22),
            Fixture.obs("10.20.2.5", port: 6379, source: .host, vantage: nil, process: "redis-server", bind: .wildcard),
            Fixture.obs("2001:db8:20::10", port: 8443, state: .closed),
        ]
        let policy = Fixture.policy(
            exceptions: [Fixture.telnetException(expires: Fixture.day("2026-11-01"))], lastReview: nil)
        let findings = Fixture.evaluate(observations, policy: policy)
        let rules = Set(findings.map(\.rule))
        #expect(rules.count >= 6, "\(rules.sorted())")
        for rule in rules.sorted() {
            #expect(EvaluationRule.description(of: rule) != nil, "\(rule)")
        }
    }

    static let tableStart = "<!-- rule-table: begin -->"
    static let tableEnd = "<!-- rule-table: end -->"

    /// The rule table as `docs/rules.md` shows it.
    static func markdownTable() -> String {
        var lines = [
            tableStart,
            "<!-- Generated from EvaluationRule.all by Tests/PortwardenPolicyTests/RuleTableTests.swift; "
                + "PORTWARDEN_UPDATE_DOCS=1 swift test --filter RuleTableTests rewrites it. -->",
            "",
            "| Rule | Name | Default / CDE | Requirements | Raised by | What it checks |",
            "|---|---|---|---|---|---|",
        ]
        for rule in EvaluationRule.all {
            let requirements =
                rule.requirements.isEmpty ? "none" : rule.requirements.sorted().map(\.id).joined(separator: ", ")
            let cells = [
                "`\(rule.id)`", rule.name, "\(rule.defaultSeverity.rawValue) / \(rule.cdeSeverity.rawValue)",
                requirements, rule.raisedBy.map(\.rawValue).joined(separator: ", "), rule.summary,
            ]
            lines.append(
                "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        lines.append(tableEnd)
        return lines.joined(separator: "\n")
    }

    @Test func docsShowTheTable() throws {
        let url = Self.packageRoot.appendingPathComponent("docs/rules.md")
        let doc = try String(contentsOf: url, encoding: .utf8)
        let start = try #require(doc.range(of: Self.tableStart), "docs/rules.md has no \(Self.tableStart) marker")
        let end = try #require(doc.range(of: Self.tableEnd), "docs/rules.md has no \(Self.tableEnd) marker")
        let shown = String(doc[start.lowerBound..<end.upperBound])
        let table = Self.markdownTable()
        if ProcessInfo.processInfo.environment["PORTWARDEN_UPDATE_DOCS"] == "1" {
            try (doc.replacingCharacters(in: start.lowerBound..<end.upperBound, with: table))
                .write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            shown == table, "docs/rules.md's rule table is not EvaluationRule.all; PORTWARDEN_UPDATE_DOCS=1 rewrites it"
        )
    }

    /// Every `## PW-…` section of the rules document is a rule of the table.
    @Test func docsSectionsNameRulesOfTheTable() throws {
        let doc = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let heading = try Regex(#"(?m)^## (PW-.*)$"#)
        let id = try Regex(#"PW-[A-Z0-9-]*[A-Z0-9]"#)
        for match in doc.matches(of: heading) {
            let title = match.output[1].substring ?? ""
            for name in title.matches(of: id).map({ String(title[$0.range]) }) {
                #expect(EvaluationRule.description(of: name) != nil, "docs/rules.md: ## \(name)")
            }
        }
    }
}
