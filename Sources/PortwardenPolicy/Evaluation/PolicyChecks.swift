import PortwardenCore

/// The rules judged on the policy itself and on what the per-port pass marked: hosts outside
/// zones, stale services, exception expiry, missing justification and the 1.2.7 review.
struct PolicyChecks: Sendable {
    let context: EvaluationContext

    var policy: Policy { context.policy }

    /// PW-HOST-OUTSIDE-ZONES: one finding per host, listing its open ports.
    ///
    /// With `parallel`, 10,000 hosts or more are judged as two halves on two threads (the findings
    /// are sorted afterwards, so their order here does not matter).
    func outsideZones(
        _ hosts: [IPAddress: [Int32]], groups: ObservationGroups, observations: [Observation], parallel: Bool = false
    ) -> [Finding] {
        let entries = Array(hosts)
        let parts = ParallelRanges.parts(entries.count, enabled: parallel, minimumPerPart: 5_000, maximum: 2)
        return ParallelRanges.map(entries.count, parts: parts) { range in
            entries[range].map { outsideZone($0.key, $0.value, groups: groups, observations: observations) }
        }.flatMap { $0 }
    }

    /// The PW-HOST-OUTSIDE-ZONES finding of one host and the groups of its open ports.
    private func outsideZone(
        _ host: IPAddress, _ hostGroups: [Int32], groups: ObservationGroups, observations: [Observation]
    ) -> Finding {
        let rule = EvaluationRule.hostOutsideZones
        let ports = hostGroups.map { groups.keys[Int($0)] }.sorted {
            ($0.transport, $0.port) < ($1.transport, $1.port)
        }
        let labels = ports.map { EvidenceText.port($0.transport, $0.port) }
        let shown = labels.prefix(20).joined(separator: ", ") + (labels.count > 20 ? ", …" : "")
        var members: [Int32] = []
        for group in hostGroups {
            members += groups.members(of: Int(group)).filter { PortJudge.showsOpen(observations[Int($0)]) }
        }
        let message =
            "\(host) has \(labels.count) open port\(labels.count == 1 ? "" : "s") (\(shown)) but lies in no "
            + "declared zone, so the policy cannot judge it."
        return Finding(
            rule: rule, severity: .medium, requirements: EvaluationRule.requirements(rule), host: host,
            message: message, remediation: EvaluationRule.remediation(rule),
            evidence: EvidenceText.evidence(members, in: observations, limit: context.options.maxEvidencePerFinding)
        )
    }

    /// PW-EXCEPTION-EXPIRING for valid exceptions inside the window, PW-EXCEPTION-EXPIRED (policy
    /// level) for expired ones that nothing observed relied on.
    func exceptionExpiry(relied: [Bool]) -> [Finding] {
        var findings: [Finding] = []
        for (index, exception) in policy.exceptions.enumerated() {
            guard let expires = exception.expires else { continue }
            let ports = exception.ports.map(\.description).joined(separator: ", ")
            if context.exceptionValid[index] {
                let daysLeft = expires.daysSinceEpoch - context.today.daysSinceEpoch
                guard daysLeft <= context.options.expiringWithinDays else { continue }
                let when = daysLeft == 0 ? "today" : "in \(daysLeft) day\(daysLeft == 1 ? "" : "s")"
                let message =
                    "Exception \(exception.id) (zone \(exception.zone), \(ports)) expires on \(expires) "
                    + "(valid through 23:59:59 UTC), \(when). Renew it through review or close the ports before then."
                findings.append(
                    exceptionFinding(
                        EvaluationRule.exceptionExpiring, .low, exception, message,
                        requirements: EvaluationRule.requirements(EvaluationRule.exceptionExpiring)))
            } else if !relied[index] {
                let message =
                    "Exception \(exception.id) (zone \(exception.zone), \(ports)) expired on \(expires) and nothing "
                    + "observed relies on it any more; remove it from the policy or renew it at the next 1.2.7 review."
                findings.append(
                    exceptionFinding(
                        EvaluationRule.exceptionExpired, .low, exception, message, requirements: [Requirement("1.2.7")])
                )
            }
        }
        return findings
    }

    private func exceptionFinding(
        _ rule: String, _ severity: Severity, _ exception: PolicyException, _ message: String,
        requirements: [Requirement]
    ) -> Finding {
        let summary = "exception \(exception.id) expires \(exception.expires?.description ?? "never")"
        return Finding(
            rule: rule, severity: severity, requirements: requirements, zone: exception.zone,
            subject: exception.id, message: message, remediation: EvaluationRule.remediation(rule),
            evidence: [EvidenceText.policy("exception", summary)])
    }

    /// PW-MISSING-JUSTIFICATION: one finding per service or exception lacking justification,
    /// approver, approval date (all PCI DSS 1.2.5: identified, approved, with a business need) or
    /// owner (1.1.2: roles assigned).
    func missingJustification() -> [Finding] {
        var findings: [Finding] = []
        for service in policy.services {
            if let finding = justificationFinding(
                kind: "Service", id: service.id, zone: service.zone, justification: service.justification,
                owner: service.owner, approvedBy: service.approvedBy, approvedOn: service.approvedOn)
            {
                findings.append(finding)
            }
        }
        for exception in policy.exceptions {
            if let finding = justificationFinding(
                kind: "Exception", id: exception.id, zone: exception.zone, justification: exception.justification,
                owner: exception.owner, approvedBy: exception.approvedBy, approvedOn: exception.approvedOn)
            {
                findings.append(finding)
            }
        }
        return findings
    }

    private func justificationFinding(
        kind: String, id: String, zone: String, justification: String?, owner: String?, approvedBy: String?,
        approvedOn: CalendarDay?
    ) -> Finding? {
        func missing(_ value: String?) -> Bool { value?.allSatisfy(\.isWhitespace) ?? true }
        var fields: [String] = []
        var requirements: [Requirement] = []
        if missing(justification) { fields.append("justification") }
        if missing(approvedBy) { fields.append("approved-by") }
        if approvedOn == nil { fields.append("approved-on") }
        if !fields.isEmpty { requirements.append(Requirement("1.2.5")) }
        if missing(owner) {
            fields.append("owner")
            requirements.append(Requirement("1.1.2"))
        }
        guard !fields.isEmpty else { return nil }
        let rule = EvaluationRule.missingJustification
        var message = "\(kind) \(id) (zone \(zone)) has no \(EvidenceText.list(fields)); add it to the policy entry."
        if kind == "Exception", fields.contains("approved-by") || fields.contains("approved-on") {
            message += " Until it names an approver and an approval date it discharges nothing."
        }
        return Finding(
            rule: rule, severity: .medium, requirements: requirements, zone: zone, subject: id, message: message,
            remediation: EvaluationRule.remediation(rule),
            evidence: [
                EvidenceText.policy("policy", "\(kind.lowercased()) \(id) missing \(fields.joined(separator: ", "))")
            ])
    }
}
