import PortwardenCore

/// The observation JSON-lines reader; every observation read must survive a write and read again.
enum ObservationLinesTarget: FuzzTarget {
    static let name = "observation-lines"

    static func run(_ input: [UInt8]) {
        let first = ObservationLines.read(input, source: "fuzz.jsonl")
        let again = ObservationLines.read(Array(ObservationLines.write(first.observations).utf8), source: "again")
        FuzzCheck.require(again.problems.isEmpty, "a written observation does not read back: \(again.problems)")
        FuzzCheck.require(again.observations == first.observations, "observations changed in a write-read round trip")
    }
}
