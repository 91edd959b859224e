/// A problem in a user's input, located in its file: one type for every reader (policy files,
/// observation lines, imported tool output, inventories), printed the way compilers print them:
/// `scan.jsonl:9:31: error: port 70000 is out of range (1-65535)`. A reader that sorts its problems
/// into kinds gives each a ``Code`` (`policy lint --format json` prints it), stable for scripts.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, one per check, in kebab case (`undeclared-zone`, `truncated`).
    /// Each module declares its own codes as static members (`Diagnostic.Code.undeclaredZone`).
    public struct Code: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
    }

    /// How serious the problem is.
    public enum Level: String, Hashable, Sendable, Comparable {
        /// The input cannot be used as it is.
        case error
        /// The input was used, but part of it was ignored or doubtful.
        case warning
        /// Extra context for the diagnostic before it.
        case note

        private var rank: Int {
            switch self {
            case .error: return 2
            case .warning: return 1
            case .note: return 0
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    /// The file (`<stdin>` for standard input), as the user named it.
    public var file: String
    /// The 1-based line, or 0 when the problem concerns the whole file.
    public var line: Int
    /// The 1-based column (in bytes), or 0 when only the line is known.
    public var column: Int
    /// How serious it is.
    public var level: Level
    /// What is wrong and, where it helps, what to do, in the user's words.
    public var message: String
    /// The kind of problem, when the reader sorts its problems into kinds.
    public var code: Code?

    /// Creates a diagnostic.
    public init(
        file: String, line: Int = 0, column: Int = 0, level: Level = .error, code: Code? = nil, message: String
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.level = level
        self.code = code
        self.message = message
    }

    /// `file:line:column: level: message`; the line and column are left out when unknown, and an
    /// empty file name reads `(no file name)`.
    public var description: String {
        var location = file.isEmpty ? "(no file name)" : file
        if line > 0 {
            location += ":\(line)"
            if column > 0 { location += ":\(column)" }
        }
        return "\(location): \(level.rawValue): \(message)"
    }
}

extension Diagnostic {
    /// `1 line`, `2 lines`: a count with its noun in the right number.
    /// - Parameters:
    ///   - count: how many.
    ///   - singular: the noun for one (`line`).
    ///   - plural: the noun for several; default: `singular` + `s`.
    public static func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
