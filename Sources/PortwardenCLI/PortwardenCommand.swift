import ArgumentParser
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The root `portwarden` command.
public struct PortwardenCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "portwarden",
        abstract: "Keep the ports of a PCI DSS cardholder data environment under control.",
        discussion: """
            Portwarden joins three evidence planes: what SHOULD be open (the policy file of justified services per \
            zone), what IS open (scans and the host listener inventory) and, later, what the firewall ALLOWS. Every \
            mismatch becomes a finding tied to the PCI DSS v4.0.1 requirement it breaks.

            Start here:
              portwarden policy lint examples/localhost.yaml
              portwarden audit --policy examples/localhost.yaml

            Messages and warnings go to stderr; --log-level trace|debug|info|notice|warning|error|critical \
            (default: warning), before or after the subcommand, chooses how much the scanner reports.

            Exit codes: 0 nothing at or above --fail-on (a tool cannot state compliance), 1 findings (or drift) at or above --fail-on, \
            2 usage or input error (a bad flag, file or configuration value), 3 runtime failure.
            """,
        version: PortwardenVersion.current,
        subcommands: [
            AuditCommand.self, ScanCommand.self, CheckCommand.self, PolicyCommand.self, InventoryCommand.self,
            ImportCommand.self, IngestCommand.self, MonitorCommand.self, DiffCommand.self, EnforceCommand.self,
            SegmentTestCommand.self,
            InitCommand.self, LogCommand.self, RetentionCommand.self, ExceptionCommand.self, ReviewCommand.self,
            FindingsCommand.self, HistoryCommand.self,
        ]
    )

    public init() {}

    /// Parses the process arguments, runs the chosen command and returns the process exit status,
    /// mapping every error to the contract's exit codes in this one place.
    public static func runMain(_ arguments: [String]? = nil) async -> Int32 {
        do {
            let (level, rest) = try LogLevelOption.extract(from: arguments ?? Array(CommandLine.arguments.dropFirst()))
            LogLevelOption.bootstrap(level)
            var command = try parseAsRoot(rest)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let failure as CLIFailure {
            if !failure.message.isEmpty { Terminal.writeError("portwarden: \(failure.message)") }
            return failure.status.rawValue
        } catch  where !isArgumentParserError(error) {
            // A library error (input, scan, enforcement): the one mapping decides its exit code.
            Terminal.writeError("portwarden: \(ErrorExit.message(of: error))")
            return ErrorExit.status(of: error).rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version: ArgumentParser's clean exits.
                print(fullMessage(for: error))
                return 0
            }
            Terminal.writeError(fullMessage(for: error))
            if code == .validationFailure || code.rawValue == 64 {
                return ExitStatus.usage.rawValue
            }
            return ExitStatus.runtime.rawValue
        }
    }
}

extension PortwardenCommand {
    /// Whether ArgumentParser raised `error` (a usage error, `--help`, `--version`): those keep its
    /// own message and exit code.
    static func isArgumentParserError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}

/// The version printed by `--version` and written into reports.
public enum PortwardenVersion {
    public static let current = "0.1.0"
}
