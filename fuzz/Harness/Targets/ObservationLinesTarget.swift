import PortwardenCore

/// The observation JSON-lines reader; every observation read must survive a write and read again,
/// and every line must read in its file exactly as it reads alone (the parser predicts a line's keys
/// from the line before and reuses the last timestamp: neither may change a result).
enum ObservationLinesTarget: FuzzTarget {
    static let name = "observation-lines"

    static func run(_ input: [UInt8]) {
        let first = ObservationLines.read(input, source: "fuzz.jsonl")
        let again = ObservationLines.read(Array(ObservationLines.write(first.observations).utf8), source: "again")
        FuzzCheck.require(again.problems.isEmpty, "a written observation does not read back: \(again.problems)")
        FuzzCheck.require(again.observations == first.observations, "observations changed in a write-read round trip")
        var observations: [Observation] = []
        var problems: [Diagnostic] = []
        for (index, line) in input.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let alone = ObservationLines.read(Array(line), source: "fuzz.jsonl")
            observations += alone.observations
            for var problem in alone.problems {
                problem.line = index + 1
                problems.append(problem)
            }
        }
        FuzzCheck.require(observations == first.observations, "a line reads otherwise in its file than alone")
        FuzzCheck.require(problems == first.problems, "a line's problem differs in its file and alone")
    }
}
