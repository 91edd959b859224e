import PortwardenCore
import PortwardenPolicy

/// `policy lint --format json|sarif`: the diagnostics for machines. JSON is one object per line
/// (`{"file":…,"line":14,"column":11,"level":"error","code":"undeclared-zone","message":…}`);
/// SARIF 2.1.0 has one result per diagnostic and one rule per code.
enum LintOutput {
    static func json(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { diagnostic in
            "{\"file\":\(JSONString.quoted(diagnostic.file)),\"line\":\(diagnostic.line),\"column\":\(diagnostic.column),"
                + "\"level\":\"\(diagnostic.level.rawValue)\",\"code\":\"\(diagnostic.code?.rawValue ?? "")\","
                + "\"message\":\(JSONString.quoted(diagnostic.message))}\n"
        }.joined()
    }

    static func sarif(_ diagnostics: [Diagnostic], version: String) -> String {
        var codes: [String] = []
        for diagnostic in diagnostics where !codes.contains(diagnostic.code?.rawValue ?? "") {
            codes.append(diagnostic.code?.rawValue ?? "")
        }
        let rules = codes.map { "{\"id\":\"\($0)\",\"shortDescription\":{\"text\":\"policy lint check \($0)\"}}" }
        let results = diagnostics.map { diagnostic -> String in
            let index = codes.firstIndex(of: diagnostic.code?.rawValue ?? "") ?? 0
            var location = "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\(JSONString.quoted(diagnostic.file))}"
            if diagnostic.line > 0 {
                location +=
                    ",\"region\":{\"startLine\":\(diagnostic.line),\"startColumn\":\(max(1, diagnostic.column))}"
            }
            location += "}}"
            return "{\"ruleId\":\"\(diagnostic.code?.rawValue ?? "")\",\"ruleIndex\":\(index),"
                + "\"level\":\"\(diagnostic.level == .error ? "error" : "warning")\","
                + "\"message\":{\"text\":\(JSONString.quoted(diagnostic.message))},\"locations\":[\(location)]}"
        }
        return "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{"
            + "\"tool\":{\"driver\":{\"name\":\"portwarden policy lint\",\"version\":\(JSONString.quoted(version)),"
            + "\"rules\":[\(rules.joined(separator: ","))]}},\"results\":[\(results.joined(separator: ","))]}]}\n"
    }
}
