import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PolicyChecks {
    /// PW-REVIEW-OVERDUE: the policy-wide 1.2.7 review, and zones with a stricter cadence.
    ///
    /// A review is due on `last + cadence` and overdue from the first instant after that day
    /// (a review due today is not overdue yet). A cadence looser than six months is judged as six
    /// months, the most PCI DSS 1.2.7 allows.
    func reviewOverdue() -> [Finding] {
        let rule = EvaluationRule.reviewOverdue
        let configured = policy.review.every
        let cadence = configured.isLooserThanSixMonths ? ReviewCadence.sixMonths : configured
        guard let last = policy.review.last else {
            let message =
                "No NSC configuration review is recorded (review.last is empty); PCI DSS 1.2.7 requires one at least "
                + "every six months."
            return [
                Finding(
                    rule: rule, severity: .medium, requirements: EvaluationRule.requirements(rule), subject: "review",
                    message: message, remediation: EvaluationRule.remediation(rule),
                    evidence: [EvidenceText.policy("review", "no review recorded")])
            ]
        }
        if let finding = overdueFinding(last: last, cadence: cadence, zone: nil) { return [finding] }
        var findings: [Finding] = []
        for zone in policy.zones {
            guard let stricter = zone.review, stricter.maximumDays < cadence.maximumDays else { continue }
            if let finding = overdueFinding(last: last, cadence: stricter, zone: zone.id) { findings.append(finding) }
        }
        return findings
    }

    private func overdueFinding(last: CalendarDay, cadence: ReviewCadence, zone: String?) -> Finding? {
        let due = cadence.due(after: last)
        guard context.now >= due.end else { return nil }
        let yearAfter = last.adding(months: 12)
        let severity: Severity = context.now >= yearAfter.end ? .high : .medium
        let late = context.today.daysSinceEpoch - due.daysSinceEpoch
        let scope = zone.map { "The NSC review of zone \($0)" } ?? "The NSC configuration review"
        let message =
            "\(scope) is overdue: the last review was on \(last) and the cadence is \(cadence), so it was due on "
            + "\(due) (\(late) day\(late == 1 ? "" : "s") ago)"
            + (severity == .high ? "; more than 12 months have passed." : ".")
        let rule = EvaluationRule.reviewOverdue
        return Finding(
            rule: rule, severity: severity, requirements: EvaluationRule.requirements(rule), zone: zone,
            subject: zone ?? "review", message: message, remediation: EvaluationRule.remediation(rule),
            evidence: [EvidenceText.policy("review", "last review \(last), every \(cadence), due \(due)")])
    }

    /// PW-STALE-SERVICE: declared services never seen open although their hosts were looked at.
    func staleServices(_ judgement: PortJudgement) -> [Finding] {
        var lookedAt = judgement.serviceLookedAt
        for (host, slot) in judgement.agentHosts {
            for service in context.services.entriesListing(host, slot: slot) { lookedAt[Int(service)] = true }
        }
        let rule = EvaluationRule.staleService
        var findings: [Finding] = []
        for (index, service) in policy.services.enumerated() where lookedAt[index] && !judgement.serviceSeen[index] {
            let ports = service.ports.map(\.description).joined(separator: ", ")
            let hosts =
                service.hosts.isEmpty
                ? "every host of zone \(service.zone)"
                : service.hosts.map(\.description)
                    .joined(separator: ", ")
            let message =
                "Service \(service.id) (zone \(service.zone), \(ports) on \(hosts)) was never seen open although its "
                + "hosts were probed; confirm at the next review whether it is still needed."
            findings.append(
                Finding(
                    rule: rule, severity: .low, requirements: EvaluationRule.requirements(rule), zone: service.zone,
                    subject: service.id, message: message, remediation: EvaluationRule.remediation(rule),
                    evidence: [
                        EvidenceText.policy("policy", "service \(service.id) declares \(ports)"),
                        EvidenceText.policy("observation", "probes of its hosts saw no open port"),
                    ]))
        }
        return findings
    }
}
