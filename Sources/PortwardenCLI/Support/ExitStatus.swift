import PortwardenCore

/// The exit codes scripts rely on (ARCHITECTURE.md, "The command line").
enum ExitStatus: Int32 {
    /// The command succeeded and nothing is at or above `--fail-on` (never a compliance verdict).
    case success = 0
    /// Findings at or above `--fail-on`.
    case findings = 1
    /// A usage or input error (bad flag, malformed policy, unreadable file).
    case usage = 2
    /// A runtime failure (the network went down, the kernel refused sockets).
    case runtime = 3
}

/// An error the CLI reports and turns into an exit status; the message is printed as it is.
struct CLIFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    var description: String { message }

    static func input(_ message: String) -> CLIFailure { CLIFailure(status: .usage, message: message) }
    static func runtime(_ message: String) -> CLIFailure { CLIFailure(status: .runtime, message: message) }
    /// Findings at or above the threshold: the report was already printed, so no message.
    static let findings = CLIFailure(status: .findings, message: "")
}
