import Testing

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only when `unavailableReason` is `nil`; otherwise the runner reports it
    /// as skipped with that reason (a test that returns early would be recorded as passed).
    /// - Parameter unavailableReason: why the test cannot run here (not root, a tool missing), or `nil`.
    public static func runnable(unless unavailableReason: @autoclosure () -> String?) -> Self {
        let reason = unavailableReason()
        return .enabled(if: reason == nil, Comment(rawValue: reason ?? ""))
    }

    /// Skipped with its reason unless network namespaces can be created here (root, `ip` installed).
    public static var needsNetworkNamespaces: Self { .runnable(unless: NetworkNamespace.unavailableReason) }
}
