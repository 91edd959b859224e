import PortwardenCore

extension EvaluationRule {
    /// The rules of the ruleset verifier (`enforce verify`, `docs/enforce.md`).
    static let controlRules: [RuleDescription] = [
        RuleDescription(
            id: defaultDenyMissing, name: "Default deny missing", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("1.3.1", "1.3.2"),
            summary: "A new connection that matches no rule is accepted on a hook: no filter base chain is attached, "
                + "or none has a default drop. Critical for a CDE host, high for connected and security zones, low "
                + "elsewhere; 1.3.1 inbound, 1.3.2 outbound (a router: both).",
            remediation: "Give a base chain on the hook policy drop (portwarden enforce nft generates one) and allow "
                + "only the declared flows.",
            raisedBy: [.rulesetVerifier]),
        RuleDescription(
            id: overPermissiveRule, name: "Over-permissive rule", defaultSeverity: .high, cdeSeverity: .high,
            requirements: reqs("1.2.1", "1.3.1", "1.3.2", "1.3.3", "1.4.2", "12.5.2"),
            summary: "An accepting rule (with its handle and the jumps that lead to it) accepts a connection that no "
                + "declared flow allows; the message gives one such connection. Medium when parts of the path could "
                + "not be read. 1.2.1, plus by zone pair of the excess: target CDE 1.3.1, source CDE 1.3.2, source "
                + "wireless 1.3.3, source untrusted 1.4.2, out-of-scope source into the CDE 12.5.2.",
            remediation: "Narrow or remove the rule so that it accepts only declared flows (regenerate with "
                + "portwarden enforce nft), or declare the flow in the policy with a justification.",
            raisedBy: [.rulesetVerifier]),
        RuleDescription(
            id: flowBlocked, name: "Declared flow blocked", defaultSeverity: .info, cdeSeverity: .info,
            requirements: [],
            summary: "The ruleset drops a connection of a declared flow, naming the rule handle or chain policy that "
                + "drops it. An operational alert, not a compliance one: no requirement is claimed.",
            remediation: "Load the ruleset generated from the policy (portwarden enforce apply), or remove the flow "
                + "from the policy if it is no longer needed.",
            raisedBy: [.rulesetVerifier, .segmentationTest]),
        RuleDescription(
            id: configDrift, name: "Configuration drift", defaultSeverity: .high, cdeSeverity: .high,
            requirements: reqs("1.2.1", "1.2.8"),
            summary: "The deployed inet portwarden table differs from the one generated from the policy: a rule added "
                + "by hand (with its handle), a generated rule missing, a chain or set changed.",
            remediation:
                "Reload the approved ruleset (portwarden enforce apply FILE) or, if the change is wanted, make "
                + "it in the policy and regenerate.",
            raisedBy: [.rulesetVerifier]),
        RuleDescription(
            id: segmentationBreach, name: "Segmentation breach", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("1.3.1", "1.3.2", "1.3.3", "1.4.2", "12.5.2"),
            summary: "Probed from inside a zone (segment-test), a target answered (open or closed) where no declared "
                + "flow allows the pair: the segmentation control let the probe through. Tagged by zone pair: "
                + "target CDE 1.3.1, source CDE 1.3.2, source wireless 1.3.3, source untrusted 1.4.2, out-of-scope "
                + "source 12.5.2. Evidence for the 11.4.5 test, not that test itself.",
            remediation: "Drop the pair at the segmentation control (portwarden enforce nft generates the rules; "
                + "portwarden enforce verify names the rule that accepts it), or declare the flow with a "
                + "justification.",
            raisedBy: [.segmentationTest]),
        RuleDescription(
            id: segmentationTestOverdue, name: "Segmentation test overdue", defaultSeverity: .high,
            cdeSeverity: .high, requirements: reqs("11.4.5", "11.4.6"),
            summary: "The evidence store holds no segmentation test from a zone that must be tested from (an "
                + "out-of-scope, untrusted or wireless zone of the policy, or one tested before), none within 12 "
                + "months (11.4.5), or none since a segmentation change (a changed ruleset loaded by enforce apply, "
                + "a policy version that changes the zones or the edges between them). For entity "
                + "service_provider the test is due every 6 months and the finding cites 11.4.6, and 11.4.5 too "
                + "when the 12-month, after-change or never-tested condition also holds.",
            remediation: "Run portwarden segment-test from the zone, and have the periodic test done by a "
                + "qualified, independent tester.",
            raisedBy: [.segmentationTest]),
    ]
}
