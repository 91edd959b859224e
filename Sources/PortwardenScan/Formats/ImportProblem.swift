import PortwardenCore

/// One record an importer could not use, with where it is, so that a person can find and fix it.
///
/// Importers never stop at the first problem: a malformed record is reported here and the rest of
/// the input is still read.
public struct ImportProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is.
    public enum Code: String, Hashable, Sendable {
        /// The document is not well-formed (XML syntax, JSON syntax, a broken line).
        case malformed
        /// The input ends in the middle of a record or element.
        case truncated
        /// A required attribute or field is missing.
        case missingField
        /// A field holds a value that cannot be used (not an address, not a port, unknown state).
        case invalidValue
        /// An element appears where the format does not allow it.
        case unexpectedElement
        /// The input exceeds a size or depth limit that protects memory.
        case limitExceeded
        /// Collapsed ports (`extraports`) could not be expanded back to port numbers.
        case unresolvedPorts
        /// The records were imported, but with less detail than the input names (collapsed ports
        /// that are closed or filtered without saying which, a missing time).
        case imprecise
    }

    /// The kind of problem.
    public let code: Code
    /// The file (or other input name) the problem is in.
    public let file: String
    /// 1-based line number, or `nil` when the problem concerns the whole input.
    public let line: Int?
    /// 1-based column (in bytes), or `nil` when unknown.
    public let column: Int?
    /// What is wrong and, where possible, what to do about it.
    public let message: String
    /// `error` when records were lost, `warning` when they were imported with less detail.
    public let level: Diagnostic.Level

    /// Creates a problem report.
    public init(
        code: Code, file: String, line: Int?, column: Int?, message: String, level: Diagnostic.Level = .error
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.level = level
    }

    /// The problem as the one located diagnostic type.
    public var diagnostic: Diagnostic {
        Diagnostic(file: file, line: line ?? 0, column: column ?? 0, level: level, message: message)
    }

    /// `file:line:column: level: message`, leaving out the parts that are unknown.
    public var description: String { diagnostic.description }
}
