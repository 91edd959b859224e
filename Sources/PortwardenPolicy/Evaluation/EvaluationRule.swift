import PortwardenCore

/// The rule ids the evaluator raises and their descriptions.
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

    private static func reqs(_ ids: String...) -> [Requirement] { ids.map(Requirement.init) }

    /// Every rule the evaluator can raise, in documentation order.
    public static let all: [RuleDescription] = portRules + policyRules

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
            requirements: reqs("1.2.5", "2.2.4", "1.3.1"),
            summary: "A port observed open that no declared service and no valid exception covers. Critical when the "
                + "host is in a CDE zone and a scan from a non-CDE (or unknown) zone reached it; host-agent evidence "
                + "alone is medium (high in a CDE zone).",
            remediation: "Close the port or stop the listener; if it is needed, declare it as a service with a "
                + "justification, owner and approver."),
        RuleDescription(
            id: insecureService, name: "Insecure service", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("2.2.5", "1.2.6"),
            summary: "A service from the insecure-service rule pack is confirmed by handshake (full severity) or "
                + "probable from its port alone (one step lower), and no valid exception accepts it.",
            remediation: "Disable the insecure service or replace it with its secure form; if it must stay, record a "
                + "time-boxed exception naming its mitigations."),
        RuleDescription(
            id: cleartextAdmin, name: "Cleartext administrative access", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("2.2.7", "8.3.2"),
            summary: "A management interface (rule pack, e.g. HTTP admin UI) is reachable without strong cryptography.",
            remediation: "Serve administrative access over strong cryptography only (TLS 1.2+, SSH) and close the "
                + "cleartext port."),
        RuleDescription(
            id: cleartextAuth, name: "Cleartext authentication", defaultSeverity: .high, cdeSeverity: .high,
            requirements: reqs("8.3.2"),
            summary: "A listener (rule pack, e.g. a database without enforced TLS) accepts credentials in cleartext.",
            remediation: "Enforce TLS for every client connection before authentication."),
        RuleDescription(
            id: sourceNotPermitted, name: "Source not permitted (segmentation breach)", defaultSeverity: .high,
            cdeSeverity: .critical, requirements: reqs("1.3.1", "1.2.5", "11.4.5"),
            summary: "A scan from a vantage zone reached a declared port although the covering service's (or "
                + "exception's) allow-from does not permit that zone. Critical when the service is in a CDE zone and "
                + "the vantage is not.",
            remediation: "Block the port from the vantage zone at the network security control, or add the zone to "
                + "the service's allow-from with a justification."),
        RuleDescription(
            id: exceptionExpired, name: "Exception expired", defaultSeverity: .high, cdeSeverity: .high,
            requirements: reqs("1.2.6", "2.2.5", "1.5.1"),
            summary: "A port observed open is covered only by an exception whose expiry day has passed (high, per "
                + "host and port); an expired exception nothing observed relies on is reported once (medium).",
            remediation: "Close the port, or renew the exception with a new expiry, approval and review; remove "
                + "expired exceptions from the policy."),
        RuleDescription(
            id: bindScopeWider, name: "Bind scope wider than declared", defaultSeverity: .medium, cdeSeverity: .high,
            requirements: reqs("2.2.4", "1.3.1"),
            summary: "The host agent saw the listener bound to all addresses or a network address although its "
                + "service declares bind: loopback.",
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
            requirements: reqs("12.5.1", "1.2.5"),
            summary: "A host with open ports lies in no declared zone, so the policy cannot judge it.",
            remediation: "Add the host's network to the zone it belongs to (and to the scope inventory), or remove "
                + "the host."),
    ]
}
