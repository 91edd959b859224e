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

    /// What keeps a valid exception from discharging anything: no approver or no approval date
    /// (PCI DSS 1.2.5 asks for the approval of each allowed service). Empty when it is approved.
    func approvalGaps(_ index: Int32) -> [String] {
        let exception = policy.exceptions[Int(index)]
        var gaps: [String] = []
        if exception.approvedBy?.allSatisfy(\.isWhitespace) ?? true { gaps.append("no approved-by") }
        if exception.approvedOn == nil { gaps.append("no approved-on") }
        return gaps
    }

    /// Resolves where a network observation came from. The recorded source address is a fact and
    /// wins over the vantage label: when it lies in a declared zone, that zone is the vantage; a
    /// label it contradicts is marked so. Without a source address the label's zone is used.
    func resolveVantage(_ label: String?, source: IPAddress?) -> ResolvedVantage {
        let labelled = label.flatMap { zones.zone(id: $0) }
        if let source {
            if let zone = zones.zone(zones.slot(of: source)) {
                let contradicted = label != nil && label != zone.id
                return ResolvedVantage(zone: zone.id, kind: .zone(zone.kind), contradicted: contradicted)
            }
            if let labelled {
                return ResolvedVantage(zone: labelled.id, kind: .zone(labelled.kind), contradicted: true)
            }
            return ResolvedVantage(zone: nil, kind: .unknown, contradicted: false)
        }
        guard let labelled else { return ResolvedVantage(zone: nil, kind: .unknown, contradicted: false) }
        return ResolvedVantage(zone: labelled.id, kind: .zone(labelled.kind), contradicted: false)
    }
}

/// Where a network observation came from: the zone the evaluator judges it from, and whether the
/// recorded source address contradicts the vantage label.
struct ResolvedVantage: Hashable, Sendable {
    /// The declared zone the probes came from, when one is known.
    var zone: String?
    var kind: VantageKind
    /// The vantage label names another zone (or none) than the one holding the source address.
    var contradicted: Bool
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
