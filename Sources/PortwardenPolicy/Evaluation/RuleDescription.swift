import PortwardenCore

/// What one evaluation rule checks, for `--help`, SARIF rule metadata and the documentation.
public struct RuleDescription: Sendable, Hashable, Identifiable {
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

    /// Creates a description.
    public init(
        id: String, name: String, defaultSeverity: Severity, cdeSeverity: Severity, requirements: [Requirement],
        summary: String, remediation: String
    ) {
        self.id = id
        self.name = name
        self.defaultSeverity = defaultSeverity
        self.cdeSeverity = cdeSeverity
        self.requirements = requirements
        self.summary = summary
        self.remediation = remediation
    }
}
