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
            let errors = result.diagnostics.filter { $0.level == .error }.count
            throw CLIFailure.input(
                "\(path): \(errors) error\(errors == 1 ? "" : "s") in the policy; fix them (see `portwarden policy lint \(path)`)"
            )
        }
        return (policy, result.objectLines)
    }
}
