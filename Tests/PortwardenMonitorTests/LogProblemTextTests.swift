import PortwardenCore
import PortwardenMonitor
import Testing

@Suite("Log problems in the diagnostic format")
struct LogProblemTextTests {
    @Test func problemsPrintFileLineColumnLevelMessage() {
        let problem = LogProblem(file: "fw.log", line: 12, column: 40, message: "SRC= is not an address")
        #expect(problem.description == "fw.log:12:40: error: SRC= is not an address")
        #expect(
            problem.diagnostic == Diagnostic(file: "fw.log", line: 12, column: 40, message: "SRC= is not an address"))
    }
}
