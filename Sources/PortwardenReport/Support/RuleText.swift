import PortwardenCore
import PortwardenPolicy

/// The reports' view of the one rule table (``EvaluationRule/all``): SARIF rule metadata, JUnit
/// suites and the HTML rule legend read names and descriptions here. An id the table does not
/// know (a finding line written by a newer Portwarden) gets a generic text.
enum RuleText {
    /// The short name (`Unauthorized port`).
    static func name(_ rule: String) -> String {
        EvaluationRule.description(of: rule)?.name ?? "Portwarden rule \(rule)"
    }

    /// When the rule fires, in a sentence or a few.
    static func summary(_ rule: String) -> String {
        EvaluationRule.description(of: rule)?.summary ?? "A finding of rule \(rule), which this version does not know."
    }

    /// What to do about a finding of the rule (empty for an unknown id).
    static func remediation(_ rule: String) -> String {
        EvaluationRule.description(of: rule)?.remediation ?? ""
    }
}
