import Foundation
import PortwardenCore
import PortwardenPolicy
import PortwardenReport
import Testing

@Suite("JSON Lines, SARIF and JUnit formats")
struct MachineFormatTests {
    let context = ReportFixtures.context()
    let renderer = FindingRenderer(color: true)

    static let findingKeys = [
        "rule", "severity", "requirements", "zone", "host", "transport", "port", "subject", "message",
        "remediation", "evidence", "fingerprint",
    ]

    @Test func jsonLinesHaveOneObjectPerFindingInStableKeyOrder() throws {
        let output = renderer.render(context.findings, format: .json, context: context)
        #expect(!output.contains("\u{1B}"), "machine formats never carry colour")
        let lines = output.split(separator: "\n")
        #expect(lines.count == context.findings.count)
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == Set(Self.findingKeys))
            let positions = try Self.findingKeys.map { key in
                try #require(line.range(of: "\"\(key)\":")).lowerBound
            }
            #expect(positions == positions.sorted(), "keys must appear in the documented order")
        }
        let first = try #require(lines.first)
        #expect(first.hasPrefix("{\"rule\":\"PW-UNAUTHORIZED-PORT\",\"severity\":\"critical\""))
        #expect(first.contains("\"host\":\"10.20.1.12\",\"transport\":\"tcp\",\"port\":21,\"subject\":null"))
    }

    @Test func jsonLinesRoundTripThroughTheCoreDecoder() throws {
        let output = renderer.render(context.findings, format: .json, context: nil)
        let decoded = try output.split(separator: "\n").map {
            try JSONDecoder().decode(Finding.self, from: Data($0.utf8))
        }
        #expect(decoded == context.findings.sorted(by: Finding.reportOrder))
        #expect(renderer.render([], format: .json, context: nil) == "")
    }

    @Test func sarifHasTheRequiredStructure() throws {
        let output = renderer.render(context.findings, format: .sarif, context: context)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "portwarden")
        #expect(driver["version"] as? String == "0.1.0-test")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ruleIds = rules.compactMap { $0["id"] as? String }
        #expect(ruleIds == Array(Set(context.findings.map(\.rule))).sorted())
        for rule in rules {
            let id = try #require(rule["id"] as? String)
            let described = try #require(EvaluationRule.description(of: id), "\(id) is not in the rule table")
            #expect((rule["shortDescription"] as? [String: Any])?["text"] as? String == described.name)
            #expect((rule["fullDescription"] as? [String: Any])?["text"] as? String == described.summary)
            #expect((rule["help"] as? [String: Any])?["text"] as? String == described.remediation)
            #expect(rule["helpUri"] == nil)
            #expect((rule["properties"] as? [String: Any])?["tags"] is [String])
        }
        let unauthorized = try #require(rules.first { $0["id"] as? String == "PW-UNAUTHORIZED-PORT" })
        #expect((unauthorized["properties"] as? [String: Any])?["tags"] as? [String] == ["1.2.5", "1.3.1", "2.2.4"])

        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.count == context.findings.count)
        for result in results {
            let ruleId = try #require(result["ruleId"] as? String)
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(ruleIds[index] == ruleId)
            #expect((result["message"] as? [String: Any])?["text"] is String)
            let fingerprints = try #require(result["partialFingerprints"] as? [String: String])
            #expect(fingerprints["portwarden/v1"]?.count == 16)
            let locations = try #require(result["locations"] as? [[String: Any]])
            let logical = try #require(locations.first?["logicalLocations"] as? [[String: Any]])
            #expect(!logical.isEmpty)
        }
        let levels = results.compactMap { $0["level"] as? String }
        #expect(levels == ["error", "error", "error", "warning", "note", "note"])
    }

    @Test(arguments: [
        (Severity.critical, "error"), (.high, "error"), (.medium, "warning"), (.low, "note"), (.info, "note"),
    ])
    func sarifLevels(severity: Severity, level: String) throws {
        let finding = Finding(rule: "PW-X", severity: severity, requirements: [], message: "m", remediation: "r")
        let output = renderer.render([finding], format: .sarif, context: nil)
        #expect(output.contains("\"level\": \"\(level)\""))
        #expect(output.contains("\"version\": \"unknown\""))
    }

    @Test func sarifPointsAtThePolicyOnlyForPolicyObjects() throws {
        let output = renderer.render(context.findings, format: .sarif, context: context)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        func physical(_ rule: String) -> [String: Any]? {
            let result = results.first { $0["ruleId"] as? String == rule }
            let location = (result?["locations"] as? [[String: Any]])?.first
            return location?["physicalLocation"] as? [String: Any]
        }
        #expect(physical("PW-UNAUTHORIZED-PORT") == nil, "no policy object named, so no file location")
        let expired = try #require(physical("PW-EXCEPTION-EXPIRED"))
        let artifact = try #require(expired["artifactLocation"] as? [String: Any])
        #expect(artifact["uri"] as? String == "policies/cde%20policy.yaml")
        #expect((expired["region"] as? [String: Any])?["startLine"] as? Int == 58)
        let stale = try #require(physical("PW-STALE-SERVICE"))
        #expect(stale["region"] == nil, "no line known for dns")
        let withoutContext = renderer.render(context.findings, format: .sarif, context: nil)
        #expect(!withoutContext.contains("physicalLocation"))
    }

    /// A finding line from a newer Portwarden may carry an id this version does not know: it gets
    /// a generic description, no name and no help.
    @Test func sarifDescribesAnUnknownRuleGenerically() throws {
        let finding = Finding(
            rule: "PW-FROM-THE-FUTURE", severity: .low, requirements: [], subject: "x", message: "m", remediation: "r")
        let output = renderer.render([finding], format: .sarif, context: nil)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rule = try #require((driver["rules"] as? [[String: Any]])?.first)
        #expect(
            (rule["shortDescription"] as? [String: Any])?["text"] as? String == "Portwarden rule PW-FROM-THE-FUTURE")
        #expect(rule["name"] == nil && rule["help"] == nil)
    }

    @Test func junitSuitesCarryTheRuleDescription() {
        let output = renderer.render(context.findings, format: .junit, context: context)
        for id in Set(context.findings.map(\.rule)) {
            guard let described = EvaluationRule.description(of: id) else {
                Issue.record("\(id) is not in the rule table")
                continue
            }
            #expect(output.contains("<property name=\"rule\" value=\"\(described.name)\"/>"), "\(id)")
        }
    }

    @Test func sarifUsesFileURIsForAbsolutePolicyPaths() {
        var context = ReportFixtures.context()
        context.policyPath = "/etc/portwarden/policy #1.yaml"
        let output = renderer.render(context.findings, format: .sarif, context: context)
        #expect(output.contains("\"uri\": \"file:///etc/portwarden/policy%20%231.yaml\""))
    }

    @Test func junitParsesWithPythonAndFailsOnlyAtOrAboveFailOn() throws {
        let output = renderer.render(context.findings, format: .junit, context: context)
        try Self.expectParses(output)
        #expect(output.contains("<testsuites name=\"portwarden\" tests=\"6\" failures=\"3\" errors=\"0\">"))
        #expect(output.contains("<testsuite name=\"PW-EXCEPTION-EXPIRED\" tests=\"1\" failures=\"1\""))
        #expect(output.contains("<testsuite name=\"PW-STALE-SERVICE\" tests=\"1\" failures=\"0\""))
        #expect(output.contains("TLSv1.0 &lt;weak&gt; &amp; &quot;legacy&quot;"))
        let lenient = ReportFixtures.context(failOn: .critical)
        let fewer = renderer.render(lenient.findings, format: .junit, context: lenient)
        #expect(fewer.contains("tests=\"6\" failures=\"1\""))
    }

    @Test func junitEscapesHostileTextAndStaysParseable() throws {
        let hostile = Finding(
            rule: "PW-<R&D>", severity: .critical, requirements: [Requirement("1.2.5")], subject: "a\"b'c",
            message: "banner \u{01}\u{07}<script>alert('x')</script> ]]> & \"q\"", remediation: "fix <it>")
        let output = renderer.render([hostile], format: .junit, context: nil)
        try Self.expectParses(output)
        #expect(!output.contains("<script>"))
        #expect(!output.contains("\u{01}"))
        #expect(output.contains("PW-&lt;R&amp;D&gt;"))
    }

    @Test func emptyJUnitHasOnePassingCase() throws {
        let output = renderer.render([], format: .junit, context: nil)
        try Self.expectParses(output)
        #expect(output.contains("failures=\"0\""))
        #expect(output.contains("<testcase classname=\"portwarden\" name=\"no findings\"/>"))
        #expect(!output.contains("<failure"))
    }

    @Test func emptySarifHasNoResults() throws {
        let output = renderer.render([], format: .sarif, context: context)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect((run["results"] as? [Any])?.isEmpty == true)
    }

    /// Parses `xml` with Python's ElementTree, the way CI report consumers read it.
    static func expectParses(_ xml: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            try Test.cancel("needs \(python) to parse the XML (apt-get install -y python3)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("portwarden-junit-\(UUID()).xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])", file.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(
            process.terminationStatus == 0, "ElementTree rejected the XML: \(message)", sourceLocation: sourceLocation)
    }
}
