import PortwardenCore

/// The limits an exception lives within (`docs/policy.md`, "Exceptions"): its rule ids exist, its
/// mitigations are features its rules allow, and it does not outlive the next NSC review.
extension PolicyValidator {
    /// Every id an exception's `rules` may name: the evaluator's rules and the rule pack's ids.
    static let knownRuleIDs: Set<String> = Set(
        EvaluationRule.all.filter { $0.raisedBy.contains(.evaluator) }.map(\.id)
    ).union(InsecureServiceRulePack.builtIn.rules.map(\.id))

    mutating func checkExceptionLimits(_ exception: ExceptionDraft) {
        let name = exception.grant.id.map { "exception \"\($0.value)\"" } ?? "exception"
        for (index, rule) in exception.rules.enumerated() where !Self.knownRuleIDs.contains(rule) {
            let hint = Suggestion.hint(for: rule, among: Self.knownRuleIDs.sorted())
            let at = index < exception.rulesAt.count ? exception.rulesAt[index] : exception.grant.at
            log.error(
                .unknownRule, at: at,
                "\(name) names rule \"\(rule)\", which is neither a Portwarden rule nor a rule-pack id\(hint)")
        }
        checkMitigations(exception, name: name)
        checkLifetime(exception, name: name)
    }

    private mutating func checkMitigations(_ exception: ExceptionDraft, name: String) {
        let pack = InsecureServiceRulePack.builtIn
        let rules = exception.rules.compactMap { pack.rule(id: $0) }
        guard !rules.isEmpty else { return }
        let allowed = Set(rules.flatMap(\.mitigationsAllowed))
        let unknown = exception.mitigations.filter { !allowed.contains($0) }
        if exception.mitigations.isEmpty || unknown.count == exception.mitigations.count {
            log.warning(
                .mitigationNotAllowed, at: exception.grant.at,
                "\(name) names no security feature its rules allow (\(allowed.sorted().joined(separator: ", "))); "
                    + "it cannot discharge 2.2.5 or 1.2.6 for them until it does")
        } else if !unknown.isEmpty {
            log.warning(
                .mitigationNotAllowed, at: exception.grant.at,
                "\(name) names \(unknown.joined(separator: ", ")), which its rules do not list as a security feature "
                    + "(allowed: \(allowed.sorted().joined(separator: ", "))); the evaluator ignores it")
        }
    }

    /// The next review is due `review.last + every` (at most six months, PCI DSS 1.2.7); an exception
    /// expiring after it is granted beyond the review that must re-examine it.
    private mutating func checkLifetime(_ exception: ExceptionDraft, name: String) {
        guard let expires = exception.expires else { return }
        let cadence = draft.review.every.isLooserThanSixMonths ? ReviewCadence.sixMonths : draft.review.every
        guard let start = draft.review.last ?? exception.grant.approvedOn else { return }
        let due = cadence.due(after: start)
        guard expires > due else { return }
        log.warning(
            .exceptionOutlivesReview, at: exception.expiresAt ?? exception.grant.at,
            "\(name) expires on \(expires), after the next NSC review due on \(due) (every \(cadence) from "
                + "\(start)); grant it until the review and renew it there")
    }
}
