import PortwardenCore

/// Something that made an inventory or an import incomplete, with where it happened.
public struct InventoryProblem: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, Codable {
        /// A line of a /proc table, passwd file or imported file could not be parsed; it was skipped.
        case malformedLine = "malformed-line"
        /// A file could not be read.
        case unreadableFile = "unreadable-file"
        /// `/proc/<pid>/fd` could not be read, so the owners of some sockets are unknown.
        case ownersUnknown = "owners-unknown"
        /// A process exited while it was being read; its details are partial.
        case processExited = "process-exited"
        /// The network namespace of some processes could not be read.
        case namespaceUnknown = "namespace-unknown"
    }

    /// What went wrong.
    public var code: Code
    /// The file concerned, when there is one.
    public var file: String?
    /// The 1-based line number in `file`, when there is one.
    public var line: Int?
    /// The 1-based byte column in that line, when known.
    public var column: Int?
    /// What a person should know or do.
    public var message: String
    /// How many occurrences this problem stands for (e.g. sockets without owner).
    public var count: Int

    /// Creates a problem.
    public init(
        _ code: Code, file: String? = nil, line: Int? = nil, column: Int? = nil, message: String, count: Int = 1
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.count = count
    }

    /// `/proc/1234/net/tcp:7: error: malformed line (…)`, as ``diagnostic`` prints it.
    public var description: String { diagnostic.description }
}

extension InventoryProblem {
    /// The problem as the one located diagnostic type: an error when a line or file was not used,
    /// a warning when the inventory is only incomplete (owners or namespaces unknown).
    public var diagnostic: Diagnostic {
        let level: Diagnostic.Level
        switch code {
        case .malformedLine, .unreadableFile: level = .error
        case .ownersUnknown, .processExited, .namespaceUnknown: level = .warning
        }
        return Diagnostic(
            file: file ?? "portwarden", line: line ?? 0, column: column ?? 0, level: level, message: message)
    }
}
