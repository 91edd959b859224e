import PortwardenCore
import PortwardenEnforce
import Testing

@Suite("Ruleset read problems in the diagnostic format")
struct ReadProblemTextTests {
    @Test func problemsPrintFileLineColumnLevelMessage() {
        let problem = NftReadProblem(
            file: "ruleset.json", location: NftLocation(line: 3, column: 7), level: .warning, message: "unknown match")
        #expect(problem.description == "ruleset.json:3:7: warning: unknown match")
        #expect(problem.diagnostic.level == .warning)
    }
}
