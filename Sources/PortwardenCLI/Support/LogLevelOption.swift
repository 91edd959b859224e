import Logging
import PortwardenCore
import Synchronization

/// `--log-level LEVEL`, accepted before or after the subcommand and read once, before the command
/// line is parsed, so that the logging system is bootstrapped exactly once for every command.
enum LogLevelOption {
    /// The level when no `--log-level` is given: warnings and worse.
    static let defaultLevel = Logger.Level.warning

    /// The level names users may give, in increasing severity.
    static var names: String { Logger.Level.allCases.map(\.rawValue).joined(separator: ", ") }

    /// Removes `--log-level LEVEL` / `--log-level=LEVEL` from `arguments`.
    /// - Returns: the chosen level (the default when absent) and the remaining arguments.
    /// - Throws: ``CLIFailure`` (usage) for a missing or unknown level.
    static func extract(from arguments: [String]) throws(CLIFailure) -> (Logger.Level, [String]) {
        var level = defaultLevel
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                rest += arguments[index...]
                break
            }
            var value: String?
            if argument == "--log-level" {
                guard index + 1 < arguments.count else {
                    throw CLIFailure.input("--log-level needs a level: \(names)")
                }
                value = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--log-level=") {
                value = String(argument.dropFirst("--log-level=".count))
            }
            if let value {
                guard let parsed = Logger.Level(rawValue: value.lowercased()) else {
                    throw CLIFailure.input("--log-level \"\(value)\" is not one of \(names)")
                }
                level = parsed
            } else {
                rest.append(argument)
            }
            index += 1
        }
        return (level, rest)
    }

    /// Bootstraps swift-log with ``StderrLogHandler`` at `level`; later calls do nothing.
    static func bootstrap(_ level: Logger.Level) {
        bootstrapOnce.withLock { done in
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { _ in StderrLogHandler(logLevel: level) }
        }
    }

    private static let bootstrapOnce = Mutex(false)
}
