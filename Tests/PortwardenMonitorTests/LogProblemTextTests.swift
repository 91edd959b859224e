import Foundation
import PortwardenCore
import PortwardenMonitor
import Testing

@Suite("Log problems in the diagnostic format")
struct LogProblemTextTests {
    @Test func problemsPrintFileLineColumnLevelMessage() throws {
        var reader = LogLineReader(format: .netfilter, file: "fw.log", now: Date(timeIntervalSince1970: 1_800_000_000))
        var problems: [Diagnostic] = []
        reader.feed(Array("kernel: IN=eth0 SRC=10.0.0 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=2\n".utf8)) { item in
            if case .problem(let problem) = item { problems.append(problem) }
        }
        let problem = try #require(problems.first)
        #expect(problem.file == "fw.log" && problem.line == 1 && problem.level == .error)
        #expect(problem.description.hasPrefix("fw.log:1:\(problem.column): error: "))
    }
}
