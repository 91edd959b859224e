import PortwardenCore

/// What a valid exception may do for a confirmed insecure-service finding (`docs/rules.md`,
/// "Exceptions and their limits"): it discharges only 1.2.5, 1.2.6, 2.2.4 and 2.2.5, and only when it
/// names an approver, an approval date and at least one security feature from the rule's allowed
/// mitigations. The other ids (2.2.7, 8.3.1, 8.3.2, 4.2.1, …) stay on the finding; when the exception
/// cites a compensating control worksheet or a customized-approach analysis, the finding reads
/// "in place via" that reference instead of claiming the requirement is unmet.
struct ExceptionLimits {
    let context: EvaluationContext
    let rule: InsecureServiceRule

    /// A finding as the exceptions leave it.
    struct Outcome {
        var tagging: Tagging
        /// The sentence the message gains.
        var sentence: String
        /// The `exception` evidence entry.
        var evidence: String
    }

    /// Why exception `index` cannot discharge anything for this rule; empty when it can.
    func gaps(_ index: Int32) -> [String] {
        var gaps = context.approvalGaps(index)
        let named = context.policy.exceptions[Int(index)].mitigations
        if rule.mitigationsAllowed.isEmpty {
            gaps.append("\(rule.id) allows no mitigation")
        } else if !named.contains(where: rule.mitigationsAllowed.contains) {
            gaps.append(
                "its mitigations name none of \(rule.id)'s allowed features ("
                    + rule.mitigationsAllowed.joined(separator: ", ") + ")")
        }
        return gaps
    }

    /// The finding after the accepting exceptions, or `nil` when they discharge every id.
    func judge(_ accepting: [Int32], tagging: Tagging) -> Outcome? {
        let exceptions = context.policy.exceptions
        guard let qualifying = accepting.first(where: { gaps($0).isEmpty }) else {
            let first = accepting[0]
            let id = exceptions[Int(first)].id
            return Outcome(
                tagging: tagging,
                sentence: "Exception \(id) covers it but cannot discharge it: \(EvidenceText.list(gaps(first))).",
                evidence: "exception \(id) does not qualify: \(gaps(first).joined(separator: "; "))")
        }
        let exception = exceptions[Int(qualifying)]
        let remaining = RequirementTags.remaining(after: tagging)
        guard !remaining.isEmpty else { return nil }
        let discharged = tagging.requirements.filter { RequirementTags.dischargeable.contains($0) }.map(\.id)
        let kept = remaining.map(\.id)
        let lead =
            "Exception \(exception.id) discharges \(discharged.isEmpty ? "nothing" : EvidenceText.list(discharged)) "
            + "only; \(EvidenceText.list(kept)) allow\(kept.count == 1 ? "s" : "") no exception"
        let cited = accepting.lazy.compactMap { index -> (String, String)? in
            guard gaps(index).isEmpty else { return nil }
            return ExceptionLimits.reference(exceptions[Int(index)])
        }.first
        if let (kind, reference) = cited {
            return Outcome(
                tagging: Tagging(
                    severity: min(tagging.severity, .medium), requirements: remaining, notes: tagging.notes),
                sentence: "\(lead), and \(kept.count == 1 ? "it is" : "they are") in place via \(kind) \(reference) "
                    + "(\(ExceptionLimits.route(kind)); the assessor validates it, this tool does not).",
                evidence: "exception \(exception.id) cites \(kind) \(reference)")
        }
        return Outcome(
            tagging: Tagging(severity: tagging.severity, requirements: remaining, notes: tagging.notes),
            sentence: "\(lead): the routes are a compensating control worksheet (PCI DSS Appendices B and C) or the "
                + "customized approach (Appendix D with a 12.3.2 targeted risk analysis).",
            evidence: "exception \(exception.id) discharges \(discharged.joined(separator: ", "))")
    }

    /// The compensating-control or customized-approach reference an exception cites.
    static func reference(_ exception: PolicyException) -> (String, String)? {
        if let ccw = exception.compensatingControl, !ccw.isEmpty { return ("compensating control", ccw) }
        if let tra = exception.customizedApproach, !tra.isEmpty { return ("customized approach", tra) }
        return nil
    }

    private static func route(_ kind: String) -> String {
        kind == "compensating control"
            ? "a compensating control worksheet, PCI DSS Appendices B and C"
            : "the customized approach, PCI DSS Appendix D, with a 12.3.2 targeted risk analysis"
    }
}
