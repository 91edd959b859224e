import PortwardenCore
import PortwardenPolicy

/// `policy lint --format json|sarif`: the diagnostics for machines. JSON is one object per line
/// (`{"file":…,"line":14,"column":11,"level":"error","code":"undeclared-zone","message":…}`);
/// SARIF 2.1.0 has one result per diagnostic and one rule per code.
enum LintOutput {
    static func json(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { diagnostic in
            "{\"file\":\(JSONText.quote(diagnostic.file)),\"line\":\(diagnostic.line),\"column\":\(diagnostic.column),"
                + "\"level\":\"\(diagnostic.level.rawValue)\",\"code\":\"\(diagnostic.code?.rawValue ?? "")\","
                + "\"message\":\(JSONText.quote(diagnostic.message))}\n"
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
            var location = "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\(JSONText.quote(diagnostic.file))}"
            if diagnostic.line > 0 {
                location +=
                    ",\"region\":{\"startLine\":\(diagnostic.line),\"startColumn\":\(max(1, diagnostic.column))}"
            }
            location += "}}"
            return "{\"ruleId\":\"\(diagnostic.code?.rawValue ?? "")\",\"ruleIndex\":\(index),"
                + "\"level\":\"\(diagnostic.level == .error ? "error" : "warning")\","
                + "\"message\":{\"text\":\(JSONText.quote(diagnostic.message))},\"locations\":[\(location)]}"
        }
        return "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{"
            + "\"tool\":{\"driver\":{\"name\":\"portwarden policy lint\",\"version\":\(JSONText.quote(version)),"
            + "\"rules\":[\(rules.joined(separator: ","))]}},\"results\":[\(results.joined(separator: ","))]}]}\n"
    }
}

/// JSON string literals for the CLI's small hand-written documents.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
