import PortwardenCore

/// What loading a policy file produced: the policy when it is usable, and every problem found.
public struct PolicyLoadResult: Sendable {
    /// The loaded policy; `nil` when there is at least one error.
    public var policy: Policy?
    /// Every problem found, sorted by line, then column.
    public var diagnostics: [Diagnostic]
    /// The line on which each zone, service and exception is defined, by id (first definition
    /// wins), so reports can point into the policy file (SARIF regions).
    public var objectLines: [String: Int]

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.level == .error } }

    /// The errors only.
    public var errors: [Diagnostic] { diagnostics.filter { $0.level == .error } }

    /// The warnings only.
    public var warnings: [Diagnostic] { diagnostics.filter { $0.level == .warning } }

    /// Creates a result; diagnostics are sorted and the policy dropped when there are errors.
    public init(policy: Policy?, diagnostics: [Diagnostic], objectLines: [String: Int] = [:]) {
        self.objectLines = objectLines
        let sorted = diagnostics.enumerated().sorted { a, b in
            if a.element.line != b.element.line { return a.element.line < b.element.line }
            if a.element.column != b.element.column { return a.element.column < b.element.column }
            return a.offset < b.offset
        }.map(\.element)
        self.diagnostics = sorted
        self.policy = sorted.contains { $0.level == .error } ? nil : policy
    }
}
