import PortwardenCore

/// Portwarden's one table of rules: every `PW-…` id a finding can carry (the evaluator's, the
/// ruleset verifier's and the flow correlator's) and its description (``all``). Findings take their
/// id from the constants here; reports and `docs/rules.md` read ``all``.
public enum EvaluationRule {
    /// An open port that no declared service and no valid exception covers.
    public static let unauthorizedPort = "PW-UNAUTHORIZED-PORT"
    /// An insecure service (rule pack) without a valid exception.
    public static let insecureService = "PW-INSECURE-SERVICE"
    /// Cleartext administrative access (rule pack).
    public static let cleartextAdmin = "PW-CLEARTEXT-ADMIN"
    /// Cleartext authentication (rule pack).
    public static let cleartextAuth = "PW-CLEARTEXT-AUTH"
    /// A scan reached a declared port from a zone its allow-from does not permit.
    public static let sourceNotPermitted = "PW-SOURCE-NOT-PERMITTED"
    /// An exception past its expiry day.
    public static let exceptionExpired = "PW-EXCEPTION-EXPIRED"
    /// An exception that expires soon.
    public static let exceptionExpiring = "PW-EXCEPTION-EXPIRING"
    /// A service or exception without justification, owner or approver.
    public static let missingJustification = "PW-MISSING-JUSTIFICATION"
    /// The 1.2.7 review is overdue or was never recorded.
    public static let reviewOverdue = "PW-REVIEW-OVERDUE"
    /// A host with open ports that no zone contains.
    public static let hostOutsideZones = "PW-HOST-OUTSIDE-ZONES"
    /// A declared service never seen open although its hosts were looked at.
    public static let staleService = "PW-STALE-SERVICE"
    /// A listener bound wider than its service's declared loopback bind.
    public static let bindScopeWider = "PW-BIND-SCOPE-WIDER"
    /// A listener owned by another executable than its service declares.
    public static let unexpectedProcess = "PW-UNEXPECTED-PROCESS"
    /// A probable insecure service that no handshake confirmed (port number or process alone).
    public static let unverifiedService = "PW-UNVERIFIED-SERVICE"
    /// A service offers TLS, but whether it refuses cleartext was not tested.
    public static let tlsEnforcementUnverified = "PW-TLS-ENFORCEMENT-UNVERIFIED"
    /// Scans whose recorded source address lies outside the zone their vantage label names.
    public static let vantageContradicted = "PW-VANTAGE-CONTRADICTED"

    /// An accepting nftables rule that accepts a connection no declared flow allows.
    public static let overPermissiveRule = "PW-OVER-PERMISSIVE-RULE"
    /// A hook on which a new connection that matches no rule is accepted.
    public static let defaultDenyMissing = "PW-DEFAULT-DENY-MISSING"
    /// A declared flow that the deployed ruleset drops.
    public static let flowBlocked = "PW-FLOW-BLOCKED"
    /// A deployed `inet portwarden` table that differs from the one generated from the policy.
    public static let configDrift = "PW-CONFIG-DRIFT"
    /// A probe from inside a zone that reached a target no declared flow allows (`segment-test`).
    public static let segmentationBreach = "PW-SEGMENTATION-BREACH"
    /// No segmentation test from a zone within its cadence, or none since a segmentation change
    /// (`segment-test --due`).
    public static let segmentationTestOverdue = "PW-SEGMENTATION-TEST-OVERDUE"
    /// Logged traffic to a port in a zone that no service or exception declares.
    public static let undeclaredFlow = "PW-UNDECLARED-FLOW"
    /// Logged traffic covered only by an expired exception.
    public static let flowExpiredException = "PW-FLOW-EXPIRED-EXCEPTION"
    /// One source touching many ports or hosts within the correlator's window.
    public static let portScan = "PW-PORT-SCAN"
    /// Repeated denied connections from one source into a CDE zone.
    public static let repeatedDenies = "PW-REPEATED-DENIES"
    /// An IDS alert for a source followed by its connection into a CDE zone.
    public static let idsIncident = "PW-IDS-INCIDENT"
    /// Authentication failures from a source followed by its connection into a CDE zone.
    public static let authFailuresThenAccess = "PW-AUTH-FAILURES-THEN-ACCESS"
    /// A log source that has written nothing for longer than its allowed silence.
    public static let logSourceSilent = "PW-LOG-SOURCE-SILENT"

    /// Rules whose findings never count toward `--fail-on`: unverified readings that claim nothing.
    public static let advisory: Set<String> = [unverifiedService]

    /// Whether `finding` makes a run fail at `threshold` (`--fail-on`): at or above it, and not an
    /// advisory (unverified) reading.
    public static func fails(_ finding: Finding, at threshold: Severity) -> Bool {
        finding.severity >= threshold && !advisory.contains(finding.rule)
    }

    /// The fix of a PW-SOURCE-NOT-PERMITTED finding. It never suggests permitting an out-of-scope,
    /// untrusted or wireless zone: that would pull the zone into scope (connected-to).
    static func sourceRemediation(vantageKinds: [ZoneKind]) -> String {
        let block = "Block the port from that source at the network security control in front of the host."
        if vantageKinds.isEmpty || vantageKinds.contains(where: { !RequirementTags.inScope($0) }) {
            return block
                + " Do not add the source to allow-from to silence this: permitting an out-of-scope, untrusted, "
                + "wireless or unknown source brings it into scope (connected-to) and needs a scope change "
                + "(12.5.2) and an edge justification."
        }
        return block
            + " If the flow is a real business need, declare it through change control: add the zone to the "
            + "service's allow-from with a justification and approval."
    }

    static func reqs(_ ids: String...) -> [Requirement] { ids.map(Requirement.init) }

    /// Every rule a finding can carry, in documentation order.
    public static let all: [RuleDescription] = portRules + policyRules + controlRules + flowRules

    /// The description of a rule id.
    public static func description(of id: String) -> RuleDescription? { byID[id] }

    private static let byID: [String: RuleDescription] = Dictionary(
        all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    /// The remediation sentence of a rule id (empty for an unknown id).
    static func remediation(_ id: String) -> String { byID[id]?.remediation ?? "" }

    /// The requirements of a rule id (empty for an unknown id).
    static func requirements(_ id: String) -> [Requirement] { byID[id]?.requirements ?? [] }

    static let portRules: [RuleDescription] = [
        RuleDescription(
            id: unauthorizedPort, name: "Unauthorized port", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("1.2.5", "1.3.1", "2.2.4"),
            summary: "A port observed open that no declared service and no valid, approved exception covers. Ids and "
                + "severity follow the facts: 1.2.5 + 2.2.4 (high) in CDE, connected and security zones; critical + "
                + "1.3.1 when a CDE host was reached from a non-CDE vantage; host-agent evidence alone is 2.2.4 only "
                + "(medium, CDE high); an unknown vantage is high with no 1.3.x; out-of-scope, untrusted and "
                + "wireless hosts carry no requirement (low, host agent info).",
            remediation: "Close the port or stop the listener; if it is needed, declare it as a service with a "
                + "justification, owner and approver."),
        RuleDescription(
            id: insecureService, name: "Insecure service", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("2.2.5", "1.2.6"),
            summary: "A service from the insecure-service rule pack is confirmed by a network handshake (or, for rules "
                + "that do not depend on the configuration, by the host agent's executable). Ids are the row's "
                + "(always 2.2.5 and 1.2.6). An exception discharges 1.2.5, 1.2.6, 2.2.4 and 2.2.5 only; the rest "
                + "stays.",
            remediation: "Disable the insecure service or replace it with its secure form; if it must stay, record a "
                + "time-boxed, approved exception naming its security features."),
        RuleDescription(
            id: cleartextAdmin, name: "Cleartext administrative access", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("2.2.5", "1.2.6", "2.2.7", "8.3.2"),
            summary: "A management interface (rule pack, e.g. HTTP admin UI) is reachable without strong cryptography.",
            remediation: "Serve administrative access over strong cryptography only (TLS 1.2+, SSH) and close the "
                + "cleartext port."),
        RuleDescription(
            id: cleartextAuth, name: "Cleartext authentication", defaultSeverity: .high, cdeSeverity: .high,
            requirements: reqs("2.2.5", "1.2.6", "8.3.2"),
            summary: "A listener (rule pack, e.g. a database without enforced TLS) accepts credentials in cleartext.",
            remediation: "Enforce TLS for every client connection before authentication."),
        RuleDescription(
            id: unverifiedService, name: "Unverified, probable insecure service", defaultSeverity: .info,
            cdeSeverity: .info, requirements: [],
            summary: "A rule-pack service is probable from its port number alone, or from a host process for a rule "
                + "whose weakness depends on the configuration, and no handshake confirmed it. No requirement is "
                + "claimed and the finding never counts toward --fail-on.",
            remediation: "Run service detection on the port to confirm or rule out the service."),
        RuleDescription(
            id: tlsEnforcementUnverified, name: "TLS available, enforcement unverified", defaultSeverity: .medium,
            cdeSeverity: .medium, requirements: [],
            summary: "The service offers TLS (STARTTLS, STLS, an SSLRequest answered S, CLIENT_SSL) but refusing "
                + "cleartext logins was not shown. Medium, no requirement claimed (low outside the scope).",
            remediation: "Require TLS before authentication (refuse cleartext logins) and re-run detection."),
        RuleDescription(
            id: sourceNotPermitted, name: "Source not permitted (segmentation breach)", defaultSeverity: .high,
            cdeSeverity: .critical, requirements: reqs("1.2.5", "1.3.1", "1.3.2", "1.3.3", "1.4.2", "12.5.2"),
            summary: "A scan reached a declared port from a source (the zone of its recorded source address, else its "
                + "vantage zone), or logged traffic reached it from a source address, that the covering service's or "
                + "exception's allow-from does not permit. Tagged by zone pair: target CDE 1.3.1, source CDE 1.3.2, "
                + "wireless to CDE 1.3.3, untrusted 1.4.2, out-of-scope to CDE 12.5.2, others 1.2.5 only; never "
                + "11.4.5.",
            remediation: "Block the port from that source at the network security control in front of the host.",
            raisedBy: [.evaluator, .flowCorrelator]),
        RuleDescription(
            id: vantageContradicted, name: "Vantage contradicted by the source address", defaultSeverity: .medium,
            cdeSeverity: .medium, requirements: [],
            summary: "Scans labelled with one vantage sent their probes from an address outside that zone. "
                + "Segmentation is judged from the source address's zone; the label is wrong.",
            remediation: "Scan from a machine inside the zone the vantage names, or correct --vantage."),
        RuleDescription(
            id: exceptionExpired, name: "Exception expired", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("1.2.5", "1.2.6", "1.2.7", "1.3.1", "2.2.4", "2.2.5"),
            summary: "A port observed open is covered only by an exception whose expiry day has passed: judged as an "
                + "unauthorized port (same ids and severity), plus 2.2.5 and 1.2.6 when an insecure-service rule is "
                + "confirmed on it. An expired exception nothing relies on is 1.2.7 housekeeping (low).",
            remediation: "Close the port, or renew the exception with a new expiry, approval and review; remove "
                + "expired exceptions from the policy."),
        RuleDescription(
            id: bindScopeWider, name: "Bind scope wider than declared", defaultSeverity: .medium, cdeSeverity: .high,
            requirements: reqs("2.2.4"),
            summary: "The host agent saw the listener bound to all addresses or a network address although its "
                + "service declares bind: loopback (host evidence: 2.2.4 only).",
            remediation: "Bind the listener to 127.0.0.1/::1 as declared, or change the declared bind with a "
                + "justification."),
        RuleDescription(
            id: unexpectedProcess, name: "Unexpected process", defaultSeverity: .medium, cdeSeverity: .high,
            requirements: reqs("2.2.4"),
            summary: "The host agent saw a listener owned by another executable than the covering service declares.",
            remediation: "Find out why another program holds the port; stop it, or update the service's declared "
                + "process through change control."),
        RuleDescription(
            id: hostOutsideZones, name: "Host outside all zones", defaultSeverity: .medium, cdeSeverity: .medium,
            requirements: reqs("12.5.1"),
            summary: "A host with open ports lies in no declared zone, so the policy cannot judge it and the scope "
                + "inventory misses it. Wildcard listeners seen on loopback addresses are not reported.",
            remediation: "Add the host's network to the zone it belongs to (and to the scope inventory), or remove "
                + "the host."),
    ]
}
