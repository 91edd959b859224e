import PortwardenCore
import PortwardenPolicy

/// A log line that could not be used, with where it is and why. The line is counted and skipped;
/// the stream goes on.
public struct LogProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file (or `-` for standard input) the line came from.
    public var file: String
    /// The 1-based line number.
    public var line: Int
    /// The 1-based byte column where the problem was found.
    public var column: Int
    /// What is wrong, in a reader's words.
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The problem as the one located diagnostic type.
    public var diagnostic: Diagnostic { Diagnostic(file: file, line: line, column: column, message: message) }

    /// `fw.log:12:40: error: SRC= is not an address ("10.0.0")`.
    public var description: String { diagnostic.description }
}

/// Why a parser could not use a line: the column (0-based offset into the line) and a message.
public struct LogLineError: Error, Hashable, Sendable {
    public var offset: Int
    public var message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }
}
