import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reconciles the declared plane (a policy) with the observed plane (observations) at a point in
/// time and names every mismatch as a finding tied to PCI DSS requirements.
///
/// The evaluator does no I/O. It indexes the policy once (zones by prefix, services and exceptions
/// by zone and port), so `evaluate` costs O(observations) with O(log zones) per lookup.
public struct Evaluator: Sendable {
    /// The policy being enforced.
    public let policy: Policy
    /// The insecure-service rules applied to open ports.
    public let rulePack: InsecureServiceRulePack
    /// Evaluation settings.
    public let options: EvaluationOptions
    let index: EvaluationIndex

    /// Groups per thread below which evaluation stays on one thread.
    static let parallelThreshold = 20_000

    /// Creates an evaluator and indexes the policy.
    /// - Parameters:
    ///   - policy: the declared zones, services, exceptions and review settings.
    ///   - rulePack: the insecure-service rules (default: the built-in pack).
    ///   - options: evaluation settings.
    public init(policy: Policy, rulePack: InsecureServiceRulePack = .builtIn, options: EvaluationOptions = .init()) {
        self.policy = policy
        self.rulePack = rulePack
        self.options = options
        self.index = EvaluationIndex(policy: policy)
    }

    /// Evaluates observations against the policy at time `now`.
    /// - Parameters:
    ///   - observations: scans, host inventories, imports and flows, in any order.
    ///   - now: the instant exceptions and reviews are judged at.
    /// - Returns: the findings, sorted with `Finding.reportOrder`.
    public func evaluate(_ observations: [Observation], at now: Date) -> [Finding] {
        let context = EvaluationContext(index: index, pack: rulePack, options: options, now: now)
        let groups = ObservationGroups(observations)
        let judge = PortJudge(context: context, observations: observations, groups: groups)
        var judgement = judgeAll(judge, groupCount: groups.count)
        // Taken out of the judgement, so that appending does not copy every finding (the array
        // would be shared with `judgement.findings` otherwise).
        var findings = judgement.findings
        judgement.findings = []
        let checks = PolicyChecks(context: context)
        findings += checks.outsideZones(
            judgement.outsideHosts, groups: groups, observations: observations, parallel: options.parallel)
        findings += checks.staleServices(judgement)
        findings += checks.exceptionExpiry(relied: judgement.exceptionRelied)
        findings += checks.missingJustification()
        findings += checks.reviewOverdue()
        findings += checks.vantageContradictions(observations)
        FindingOrder.sort(&findings, parallel: options.parallel)
        return findings
    }

    private func judgeAll(_ judge: PortJudge, groupCount: Int) -> PortJudgement {
        let chunks = ParallelRanges.parts(
            groupCount, enabled: options.parallel, minimumPerPart: Evaluator.parallelThreshold)
        var parts = ParallelRanges.map(groupCount, parts: chunks) { judge.judge($0) }
        // The first part's findings grow in place; the others are appended to them.
        var merged = parts.removeFirst()
        merged.findings.reserveCapacity(merged.findings.count + parts.reduce(0) { $0 + $1.findings.count })
        for part in parts { merged.merge(part) }
        return merged
    }

}
