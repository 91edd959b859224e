import PortwardenCore
import PortwardenPolicy

/// Loads the policy named by `--policy`, printing its diagnostics to stderr.
enum PolicyInput {
    /// - Throws: an input failure (exit 2) when the policy has errors.
    static func load(_ path: String) throws -> Policy {
        try loadWithLines(path).policy
    }

    /// The policy and the line of each zone, service and exception (for SARIF locations).
    static func loadWithLines(_ path: String) throws -> (policy: Policy, lines: [String: Int]) {
        let result = PolicyLoader.load(contentsOf: path)
        for diagnostic in result.diagnostics { Terminal.writeError(diagnostic.description) }
        guard let policy = result.policy, !result.hasErrors else {
            let errors = result.diagnostics.filter { $0.level == .error }
            // A file that could not be read at all: the diagnostic above says so; there is nothing to lint.
            if errors.allSatisfy({ $0.line == 0 }) { throw CLIFailure(status: .usage, message: "") }
            let fix = errors.count == 1 ? "fix it" : "fix them"
            throw CLIFailure.input(
                "\(path): \(Diagnostic.counted(errors.count, "error")) in the policy; \(fix) (see `portwarden policy lint \(path)`)"
            )
        }
        return (policy, result.objectLines)
    }
}
