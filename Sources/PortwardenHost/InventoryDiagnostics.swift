import PortwardenCore

/// The kinds of problem an inventory or a host-side import (ss, osquery) reports. Each is a Core
/// ``Diagnostic`` with one of these codes and, where there is one, the file, line and column.
extension Diagnostic.Code {
    /// A line of a /proc table, passwd file or imported file could not be parsed; it was skipped.
    public static let malformedLine: Self = "malformed-line"
    /// A file could not be read.
    public static let unreadableFile: Self = "unreadable-file"
    /// `/proc/<pid>/fd` could not be read, so the owners of some sockets are unknown.
    public static let ownersUnknown: Self = "owners-unknown"
    /// A process exited while it was being read; its details are partial.
    public static let processExited: Self = "process-exited"
    /// The network namespace of some processes could not be read.
    public static let namespaceUnknown: Self = "namespace-unknown"
}

extension Diagnostic {
    /// An inventory problem: an error when a line or file was not used (`malformed-line`,
    /// `unreadable-file`), a warning when the inventory is only incomplete (owners or namespaces
    /// unknown, processes that exited). Without a file it is located at `portwarden`.
    public static func inventory(
        _ code: Code, file: String = "portwarden", line: Int = 0, column: Int = 0, message: String
    ) -> Diagnostic {
        let level: Level = code == .malformedLine || code == .unreadableFile ? .error : .warning
        return Diagnostic(file: file, line: line, column: column, level: level, code: code, message: message)
    }
}
