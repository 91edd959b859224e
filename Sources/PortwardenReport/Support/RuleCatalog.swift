import PortwardenCore

/// One-line descriptions of Portwarden's rule ids, for SARIF rule metadata and report legends.
/// An unknown rule id (a newer evaluator, a custom rule) gets a generic description instead.
enum RuleCatalog {
    /// What the rule detects, in one line.
    static func shortDescription(_ rule: String, requirements: [Requirement]) -> String {
        if let text = descriptions[rule] { return text }
        let first = requirements.sorted().first.map { ": \($0.title)" } ?? ""
        return "Portwarden rule \(rule)\(first)"
    }

    static let descriptions: [String: String] = [
        "PW-UNAUTHORIZED-PORT": "A port is open that no declared service or valid exception allows",
        "PW-INSECURE-SERVICE": "An insecure service is in use without an exception naming its mitigations",
        "PW-EXCEPTION-EXPIRED": "A port is allowed only by an exception that has expired",
        "PW-EXCEPTION-EXPIRING": "An exception expires soon and needs review or removal",
        "PW-REVIEW-OVERDUE": "The six-monthly NSC configuration review is overdue",
        "PW-SEGMENTATION-BREACH": "An out-of-scope zone can reach the cardholder data environment",
        "PW-STALE-RULE": "A declared service has not been observed listening; candidate for removal",
        "PW-JUSTIFICATION-MISSING": "A declared service or exception has no business justification",
        "PW-OWNER-MISSING": "A zone, service or exception has no owner",
        "PW-APPROVER-NOT-INDEPENDENT": "A policy object is approved by its own owner",
        "PW-OVER-PERMISSIVE-RULE": "A rule allows more than the policy declares",
        "PW-MITIGATION-UNVERIFIED": "An exception's mitigations could not be verified",
        "PW-CLEARTEXT-ADMIN": "Administrative access is offered without strong cryptography",
        "PW-CLEARTEXT-AUTH": "A service sends authentication factors in cleartext",
        "PW-BIND-SCOPE-WIDER": "A service listens more widely than its declared bind scope",
        "PW-PROCESS-MISMATCH": "A declared port is owned by a different process than declared",
        "PW-WIRELESS-TO-CDE": "A wireless network can reach the cardholder data environment",
        "PW-UNDECLARED-FLOW": "A connection to or from the CDE is absent from the policy",
        "PW-CONFIG-DRIFT": "The running NSC configuration differs from the approved one",
        "PW-DEFAULT-DENY-MISSING": "A CDE zone has no default deny",
        "PW-FLOW-BLOCKED": "A declared business flow is blocked",
    ]
}
