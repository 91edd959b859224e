import PortwardenCore

/// What one rule checks: the one description of a `PW-…` id, read by SARIF rule metadata, JUnit
/// suites, the HTML report and `docs/rules.md`.
public struct RuleDescription: Sendable, Hashable, Identifiable {
    /// The part of Portwarden that raises findings of a rule.
    public enum Origin: String, Sendable, Hashable, CaseIterable {
        /// The evaluator (`check`, `audit`): policy × observations.
        case evaluator
        /// The ruleset verifier (`enforce verify`): a deployed nftables ruleset × the policy.
        case rulesetVerifier = "ruleset verifier"
        /// The flow correlator (`ingest`, `monitor`): firewall, flow and IDS logs × the policy.
        case flowCorrelator = "flow correlator"
        /// The segmentation test (`segment-test`): probes from inside a zone × the declared flows.
        case segmentationTest = "segmentation test"
    }

    /// The stable rule id, `PW-…`.
    public var id: String
    /// A short title (`Unauthorized port`).
    public var name: String
    /// Severity outside a CDE zone (or for the usual case).
    public var defaultSeverity: Severity
    /// Severity when the subject is in a CDE zone.
    public var cdeSeverity: Severity
    /// The PCI DSS v4.0.1 requirements a finding of this rule evidences.
    public var requirements: [Requirement]
    /// When the rule fires, in one or two sentences.
    public var summary: String
    /// What to do about a finding, in one sentence.
    public var remediation: String
    /// Where findings of the rule come from.
    public var raisedBy: [Origin]

    /// Creates a description.
    public init(
        id: String, name: String, defaultSeverity: Severity, cdeSeverity: Severity, requirements: [Requirement],
        summary: String, remediation: String, raisedBy: [Origin] = [.evaluator]
    ) {
        self.id = id
        self.name = name
        self.defaultSeverity = defaultSeverity
        self.cdeSeverity = cdeSeverity
        self.requirements = requirements
        self.summary = summary
        self.remediation = remediation
        self.raisedBy = raisedBy
    }
}
