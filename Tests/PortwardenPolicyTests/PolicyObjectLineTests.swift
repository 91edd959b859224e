import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@Suite("Policy object lines")
struct PolicyObjectLineTests {
    @Test func everyObjectIsFoundOnTheLineThatDefinesIt() throws {
        let path = PolicyFixtures.path("examples/multi-zone.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let result = PolicyLoader.load(contentsOf: path)
        let policy = try #require(result.policy)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ids = policy.zones.map(\.id) + policy.services.map(\.id) + policy.exceptions.map(\.id)
        #expect(!ids.isEmpty)
        for id in ids {
            let line = try #require(result.objectLines[id], "no line for \(id)")
            // The object's mapping starts on its line; its id is on that line or the next few.
            let window = lines[(line - 1)..<min(lines.count, line + 6)]
            #expect(window.contains { $0.contains("id: \(id)") }, "\(id) is not defined at line \(line)")
        }
    }

    @Test func brokenPoliciesStillLocateWhatTheyDefine() {
        let result = PolicyLoader.parse(
            """
            version: 1
            zones:
              - id: a
                kind: cde
                prefixes: [10.0.0.0/33]
            """, file: "p.yaml")
        #expect(result.hasErrors)
        #expect(result.objectLines["a"] == 3)
    }
}
