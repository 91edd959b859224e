import PortwardenCore
import PortwardenPolicy

/// Holds a deployed ruleset against the policy: is there a default deny, does any rule accept
/// more than the policy declares, does the ruleset block a declared flow, and does it differ from
/// the ruleset Portwarden generates from the policy (drift)?
public struct RulesetVerifier: Sendable {
    public let plan: FlowPlan
    public let target: EnforcementTarget

    public init(plan: FlowPlan, target: EnforcementTarget) {
        self.plan = plan
        self.target = target
    }

    /// Verifies `deployed`.
    /// - Parameters:
    ///   - deployed: the ruleset as read back.
    ///   - expected: the generated ruleset to compare with for drift, when there is one.
    public func verify(_ deployed: NftRuleset, expected: GeneratedRuleset?) -> VerificationReport {
        var findings: [Finding] = []
        var notes: [String] = []
        var examined = 0
        var checked = 0
        for scope in VerificationScope.scopes(for: target, plan: plan) {
            findings += defaultDeny(deployed, scope)
            let (permissive, scopeNotes, count) = overPermissive(deployed, scope)
            findings += permissive
            notes += scopeNotes
            examined += count
            let (blocked, flowNotes, flows) = blockedFlows(deployed, scope)
            findings += blocked
            notes += flowNotes
            checked += flows
        }
        if let expected { findings += DriftCheck(expected: expected).findings(deployed) }
        var seen: Set<String> = []
        findings = findings.filter { seen.insert($0.fingerprint + $0.message).inserted }
        findings.sort(by: Finding.reportOrder)
        return VerificationReport(
            target: target, findings: findings, notes: notes, acceptRulesExamined: examined, flowsChecked: checked)
    }

    // MARK: default deny

    func defaultDeny(_ ruleset: NftRuleset, _ scope: VerificationScope) -> [Finding] {
        let chains = BaseChains.of(ruleset, hook: scope.hook, family: scope.family)
        var verdicts: [(String, DefaultVerdict)] = []
        for (table, chain) in chains {
            verdicts.append(
                (
                    "\(table.family) \(table.name) \(chain.name)",
                    DefaultVerdict.of(chain, in: table, universe: scope.universe)
                ))
        }
        if verdicts.contains(where: { if case .drop = $0.1 { return true } else { return false } }) { return [] }
        let (severity, requirements) = denyTags(scope)
        let detail: String
        if verdicts.isEmpty {
            detail = "no filter base chain is attached to the \(scope.hook) hook, so nothing filters it"
        } else {
            detail = verdicts.map { name, verdict in
                if case .accept(let handle?) = verdict { return "\(name) accepts everything at handle \(handle)" }
                return "\(name) has policy accept"
            }.joined(separator: "; ")
        }
        return [
            Finding(
                rule: EvaluationRule.defaultDenyMissing, severity: severity, requirements: requirements,
                host: hostAddress,
                subject: "\(scope.hook) \(scope.family.rawValue)",
                message:
                    "New \(scope.family.rawValue) connections \(scope.label) that match no rule are accepted: \(detail)",
                remediation:
                    "Give a base chain on the \(scope.hook) hook policy drop (portwarden enforce nft generates one) and allow only the declared flows",
                evidence: [FindingEvidence(kind: "ruleset", summary: detail)])
        ]
    }

    var hostAddress: IPAddress? {
        if case .host(let address) = target { return address }
        return nil
    }

    /// Severity and requirements of a missing default deny, from the zones it exposes.
    func denyTags(_ scope: VerificationScope) -> (Severity, [Requirement]) {
        switch target {
        case .router:
            let hasCDE = plan.zones.contains(where: \.isCDE)
            return hasCDE ? (.critical, ["1.3.1", "1.3.2"].map(Requirement.init)) : (.high, [Requirement("1.2.1")])
        case .host(let address):
            let kind = plan.zone(containing: address)?.kind
            if kind == .cde { return (.critical, [Requirement(scope.hook == "output" ? "1.3.2" : "1.3.1")]) }
            if kind == .connected || kind == .security { return (.high, [Requirement("1.2.1")]) }
            return (.low, [])
        }
    }
}
