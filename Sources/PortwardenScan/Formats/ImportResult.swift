import PortwardenCore

/// What an importer read from one input: the observations it could use, the problems it found in
/// the rest, and how many distinct hosts the input described.
public struct ImportResult: Hashable, Sendable {
    /// Every per-port observation read, with `source` `.import` and the caller's vantage.
    public var observations: [Observation]
    /// Records that could not be used, each with its location.
    public var problems: [Diagnostic]
    /// The number of distinct host addresses with at least one complete record.
    public var hosts: Int

    /// Creates a result.
    public init(observations: [Observation] = [], problems: [Diagnostic] = [], hosts: Int = 0) {
        self.observations = observations
        self.problems = problems
        self.hosts = hosts
    }
}
