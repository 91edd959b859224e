/// A ruleset load with the change record written with it.
public struct RulesetLoadEntry: Sendable, Hashable {
    public var load: StoredRulesetLoad
    /// Nil only when the record is missing (removed outside Portwarden; `log verify` names it).
    public var change: StoredChangeRecord?
}
