import PortwardenCore
import PortwardenEnforce
import Testing

@Suite("Ruleset read problems in the diagnostic format")
struct ReadProblemTextTests {
    @Test func problemsPrintFileLineColumnLevelMessage() throws {
        // Line 2, column 11: the body of the rule whose chain the ruleset does not declare.
        let text = """
            {"nftables":[{"table":{"family":"inet","name":"t"}},
              {"rule":{"family":"inet","table":"t","chain":"missing","handle":5,"expr":[{"accept":null}]}}]}
            """
        let result = try NftJSONReader.read(Array(text.utf8), file: "ruleset.json")
        let problem = try #require(result.problems.first)
        #expect(problem.file == "ruleset.json" && problem.line == 2 && problem.column == 11)
        #expect(problem.description == "ruleset.json:2:11: error: \(problem.message)")
    }
}
