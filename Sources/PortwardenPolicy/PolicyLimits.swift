import PortwardenCore

/// Bounds the loader enforces before it hands text to the YAML parser, so that hostile or broken
/// files fail with a clear error instead of exhausting memory or the stack.
public struct PolicyLimits: Hashable, Sendable {
    /// Files larger than this are refused before parsing (default 8 MiB).
    public var maximumBytes: Int
    /// Collections nested deeper than this are refused before parsing (default 64; a policy needs 5).
    public var maximumNesting: Int

    /// Creates limits.
    public init(maximumBytes: Int = 8 * 1024 * 1024, maximumNesting: Int = 64) {
        self.maximumBytes = maximumBytes
        self.maximumNesting = maximumNesting
    }
}
