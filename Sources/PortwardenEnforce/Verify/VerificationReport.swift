import PortwardenCore

/// The verifier's answer: findings citing rule handles, and notes on what it could not decide.
public struct VerificationReport: Sendable {
    public var target: EnforcementTarget
    public var findings: [Finding]
    /// Things that limit the result (uncertain rules, unknown jumps), one sentence each.
    public var notes: [String]
    /// Accepting rules examined, for the summary.
    public var acceptRulesExamined: Int
    /// Declared flows checked against the ruleset.
    public var flowsChecked: Int
}
