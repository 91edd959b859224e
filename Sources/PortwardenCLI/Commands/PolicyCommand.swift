import ArgumentParser
import PortwardenCore
import PortwardenPolicy

/// `portwarden policy …`: work with the policy file.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check the policy file of justified services per zone.",
        subcommands: [PolicyLintCommand.self, PolicyApplyCommand.self]
    )
}

/// `portwarden policy lint FILE`: every problem of a policy file, with its location.
struct PolicyLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate a policy file and print every problem with file:line:column.",
        discussion: """
            Checks the YAML syntax, unknown keys (with suggestions), zone references, prefixes and port specs, \
            overlapping CDE and non-CDE prefixes, duplicate ids, services without justification, owner or approver \
            (PCI DSS 1.2.5), approvers who are also owners (1.1.2), exceptions without expiry, and review cadences \
            looser than six months (1.2.7). The format is described in docs/policy.md.

            Exits 0 when there are no errors (warnings allowed), 2 when there is at least one error, or with --strict \
            at least one warning. --format json writes one diagnostic object per line, --format sarif a SARIF 2.1.0 \
            log.

            Examples:
              portwarden policy lint examples/multi-zone.yaml
              portwarden policy lint --quiet policy.yaml && echo ok
            """
    )

    @Argument(help: "The policy file (YAML).")
    var file: String

    @Flag(name: .shortAndLong, help: "Print only errors and warnings, not the summary line.")
    var quiet = false

    @Flag(name: .long, help: "Treat warnings as errors: exit 2 when there is any diagnostic.")
    var strict = false

    @Option(name: .long, help: "Output format: text, json (one diagnostic per line) or sarif.")
    var format: LintFormat = .text

    enum LintFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    func validate() throws {
        if file.isEmpty { throw ValidationError("the policy file name is empty; name the policy file to check") }
    }

    func run() async throws {
        let result = PolicyLoader.load(contentsOf: file)
        let errors = result.diagnostics.filter { $0.level == .error }.count
        let warnings = result.diagnostics.count - errors
        let failed = errors > 0 || (strict && warnings > 0)
        switch format {
        case .json:
            Terminal.write(LintOutput.json(result.diagnostics))
            if failed { throw CLIFailure(status: .usage, message: "") }
            return
        case .sarif:
            Terminal.write(LintOutput.sarif(result.diagnostics, version: PortwardenVersion.current))
            if failed { throw CLIFailure(status: .usage, message: "") }
            return
        case .text:
            for diagnostic in result.diagnostics { print(diagnostic.description) }
        }
        if !quiet {
            let verdict = errors == 0 ? "ok" : "invalid"
            let counts = result.policy.map {
                errors == 0
                    ? " (\(Diagnostic.counted($0.zones.count, "zone")), \(Diagnostic.counted($0.services.count, "service")), "
                        + "\(Diagnostic.counted($0.exceptions.count, "exception")))" : ""
            }
            print(
                "\(file): \(verdict): \(Diagnostic.counted(errors, "error")), \(Diagnostic.counted(warnings, "warning"))"
                    + (counts ?? ""))
        }
        if failed { throw CLIFailure(status: .usage, message: strict && errors == 0 ? "--strict: warnings fail" : "") }
    }
}
