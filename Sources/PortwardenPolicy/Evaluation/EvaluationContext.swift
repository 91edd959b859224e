import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything one evaluation reads: the indexed policy, the rule pack, the options and the clock.
struct EvaluationContext: Sendable {
    let policy: Policy
    let zones: ZoneMap
    let services: CoverageIndex
    let exceptions: CoverageIndex
    let pack: InsecureServiceRulePack
    let options: EvaluationOptions
    let now: Date
    let today: CalendarDay
    /// Per exception: whether it holds at `now` (no expiry, or `now` before the end of its expiry day).
    let exceptionValid: [Bool]

    init(index: EvaluationIndex, pack: InsecureServiceRulePack, options: EvaluationOptions, now: Date) {
        policy = index.policy
        zones = index.zones
        services = index.services
        exceptions = index.exceptions
        self.pack = pack
        self.options = options
        self.now = now
        today = CalendarDay(containing: now)
        exceptionValid = index.policy.exceptions.map { EvaluationContext.isValid($0, at: now) }
    }

    /// Whether `exception` holds at `now`: it is valid through 23:59:59 UTC of its expiry day.
    static func isValid(_ exception: PolicyException, at now: Date) -> Bool {
        guard let expires = exception.expires else { return true }
        return now < expires.end
    }

    /// Whether an exception accepts findings of `ids` (a rule-pack id and/or a finding rule): an
    /// empty `rules` list accepts everything on its ports.
    func exception(_ index: Int32, accepts ids: [String]) -> Bool {
        let rules = policy.exceptions[Int(index)].rules
        return rules.isEmpty || ids.contains { rules.contains($0) }
    }

    /// Whether an exception makes an undeclared port acceptable: it names no rules, names
    /// `PW-UNAUTHORIZED-PORT`, or names an insecure-service rule (accepting an insecure service
    /// accepts that it listens).
    func exceptionAcceptsPort(_ index: Int32) -> Bool {
        let rules = policy.exceptions[Int(index)].rules
        return rules.isEmpty
            || rules.contains { rule in
                rule == EvaluationRule.unauthorizedPort || rule.hasPrefix("INS-")
                    || rule == EvaluationRule.insecureService || rule == EvaluationRule.cleartextAdmin
                    || rule == EvaluationRule.cleartextAuth
            }
    }
}

/// The policy indexed once per `Evaluator`: zones by prefix, services and exceptions by zone and port.
struct EvaluationIndex: Sendable {
    let policy: Policy
    let zones: ZoneMap
    let services: CoverageIndex
    let exceptions: CoverageIndex

    init(policy: Policy) {
        self.policy = policy
        zones = ZoneMap(policy.zones)
        services = CoverageIndex(policy.services.map { ($0.zone, $0.hosts, $0.ports) }, zones: zones)
        exceptions = CoverageIndex(policy.exceptions.map { ($0.zone, $0.hosts, $0.ports) }, zones: zones)
    }
}
