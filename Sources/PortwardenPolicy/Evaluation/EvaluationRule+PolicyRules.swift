import PortwardenCore

extension EvaluationRule {
    static let policyRules: [RuleDescription] = [
        RuleDescription(
            id: exceptionExpiring, name: "Exception expiring", defaultSeverity: .low, cdeSeverity: .low,
            requirements: [Requirement("1.2.7")],
            summary: "A valid exception expires within the warning window (14 days by default).",
            remediation: "Close the excepted port before the expiry day, or renew the exception through review and "
                + "approval in time."),
        RuleDescription(
            id: missingJustification, name: "Missing justification, approval or owner", defaultSeverity: .medium,
            cdeSeverity: .medium, requirements: [Requirement("1.2.5"), Requirement("1.1.2")],
            summary: "A declared service or exception lacks a business justification, an approver or an approval date "
                + "(1.2.5: identified, approved, with a defined business need), or an owner (1.1.2).",
            remediation: "Add the missing justification, approved-by, approved-on and owner to the policy entry, or "
                + "remove the entry."),
        RuleDescription(
            id: reviewOverdue, name: "NSC review overdue", defaultSeverity: .medium, cdeSeverity: .medium,
            requirements: [Requirement("1.2.7")],
            summary: "The last recorded NSC review plus its cadence (a zone's stricter cadence where set) lies in the "
                + "past, or no review is recorded; high when more than 12 months have passed.",
            remediation: "Run the NSC configuration review, record its sign-off date in review.last, and schedule the "
                + "next one."),
        RuleDescription(
            id: staleService, name: "Stale service", defaultSeverity: .low, cdeSeverity: .low,
            requirements: [Requirement("1.2.7")],
            summary: "A declared service was never seen open although its hosts and ports were looked at (closed or "
                + "filtered probes, or a host-agent inventory). Services whose hosts were never probed are not "
                + "reported: \"never observed\" needs evidence of looking.",
            remediation: "Confirm at the next review whether the service is still needed; remove the service and its "
                + "firewall rule if not."),
    ]
}
