import PortwardenCore

/// A line of an observations file that could not be used, with where it is and why.
public struct LineProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file (or `-` for standard input) the line came from.
    public var file: String
    /// The 1-based line number.
    public var line: Int
    /// What is wrong with the line (`not JSON: …`, `missing key "port"`, `port 70000 out of range`).
    public var message: String

    /// Creates a problem report.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `scan.jsonl: line 9: missing key "port"`.
    public var description: String { "\(file): line \(line): \(message)" }
}
