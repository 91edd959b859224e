import Foundation
import PortwardenCore
import Testing

@testable import PortwardenPolicy

/// Paths and helpers shared by the policy loader tests.
enum PolicyFixtures {
    /// The repository root, found from this file's path.
    static var root: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// The first ```yaml block of docs/policy.md.
    static func docsExample() throws -> String {
        let text = try String(contentsOfFile: path("docs/policy.md"), encoding: .utf8)
        let start = try #require(text.range(of: "```yaml\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }
}

extension PolicyLoadResult {
    /// The diagnostics rendered one per line, for failure messages.
    var rendered: String { diagnostics.map(\.description).joined(separator: "\n") }
}
