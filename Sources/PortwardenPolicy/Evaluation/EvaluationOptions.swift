import PortwardenCore

/// Settings of one evaluation.
public struct EvaluationOptions: Sendable, Hashable {
    /// A valid exception expiring within this many days of `now` raises `PW-EXCEPTION-EXPIRING`.
    public var expiringWithinDays: Int = 14
    /// The most observation evidence entries a finding carries; the rest are counted in one entry.
    public var maxEvidencePerFinding: Int = 10
    /// Evaluate observation groups on several threads when there are many of them.
    public var parallel: Bool = true

    /// Creates options.
    /// - Parameters:
    ///   - expiringWithinDays: the warning window for expiring exceptions, in days (default 14).
    ///   - maxEvidencePerFinding: the cap on observation evidence per finding (default 10).
    ///   - parallel: whether large inputs are evaluated on several threads (default true).
    public init(expiringWithinDays: Int = 14, maxEvidencePerFinding: Int = 10, parallel: Bool = true) {
        self.expiringWithinDays = expiringWithinDays
        self.maxEvidencePerFinding = max(1, maxEvidencePerFinding)
        self.parallel = parallel
    }
}
