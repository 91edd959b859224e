import PortwardenCore

/// One entry of the insecure-service rule pack: a service that
/// PCI DSS 2.2.5 / 1.2.6 (and often 2.2.7 / 8.3.2) treats as insecure, where it is usually found,
/// how a probe confirms it, and how severe an unexcepted occurrence is. Pure data.
public struct InsecureServiceRule: Sendable, Hashable, Identifiable {
    /// Whether the rule's reason and detection rest on a cited source or still need checking.
    public enum Basis: String, Sendable, Hashable, Codable {
        /// Backed by a cited source (standard guidance, benchmark, vendor document).
        case cited
        /// General knowledge to be checked against a primary source before release.
        case verify
    }

    /// Stable id, `INS-…` (the key of `Observation.handshakes`).
    public var id: String
    /// The service in a few words (`Telnet`, `FTP without TLS`).
    public var name: String
    /// Candidate ports: a hint where the service usually listens, never proof that it is there.
    public var ports: [PortSpec]
    /// The finding rule raised: `PW-INSECURE-SERVICE`, `PW-CLEARTEXT-ADMIN` or `PW-CLEARTEXT-AUTH`.
    public var findingRule: String
    /// Severity of a confirmed match outside a CDE zone.
    public var defaultSeverity: Severity
    /// Severity of a confirmed match on a host in a CDE zone.
    public var cdeSeverity: Severity
    /// The PCI DSS v4.0.1 requirements a match evidences.
    public var requirements: [Requirement]
    /// Why the service is insecure, in one sentence.
    public var why: String
    /// What to do about it, in one sentence.
    public var remediation: String
    /// The probe and the predicate on its response that confirm the service.
    public var handshake: String
    /// Executable names that confirm the service when the host agent reports them as the owner.
    public var processes: [String]
    /// Mitigations an exception for this rule may name.
    public var mitigationsAllowed: [String]
    /// A severity condition the evaluator cannot see from port evidence alone (kept for people).
    public var escalation: String?
    /// Whether the entry is cited or still to be verified.
    public var basis: Basis
    /// Whether the weakness depends on the configuration (FTP with forced TLS, Redis with a
    /// password, snmpd v3-only, …): then the host agent's executable proves the product, not the
    /// weakness, and a process match is only "probable".
    public var configurationDependent: Bool
    /// Whether an open candidate port alone is reported (as unverified, `info`); false where a port
    /// is no evidence at all (an open HTTP port).
    public var reportsPortOnly: Bool

    /// Creates a rule.
    public init(
        id: String, name: String, ports: [PortSpec], findingRule: String = EvaluationRule.insecureService,
        defaultSeverity: Severity, cdeSeverity: Severity, requirements: [Requirement], why: String,
        remediation: String, handshake: String, processes: [String] = [], mitigationsAllowed: [String] = [],
        escalation: String? = nil, basis: Basis = .cited, configurationDependent: Bool = false,
        reportsPortOnly: Bool = true
    ) {
        self.id = id
        self.name = name
        self.ports = ports
        self.findingRule = findingRule
        self.defaultSeverity = defaultSeverity
        self.cdeSeverity = cdeSeverity
        self.requirements = requirements
        self.why = why
        self.remediation = remediation
        self.handshake = handshake
        self.processes = processes
        self.mitigationsAllowed = mitigationsAllowed
        self.escalation = escalation
        self.basis = basis
        self.configurationDependent = configurationDependent
        self.reportsPortOnly = reportsPortOnly
    }

    /// The severity of a confirmed match, for a host in a CDE zone or not.
    public func severity(inCDE: Bool) -> Severity { inCDE ? cdeSeverity : defaultSeverity }

    /// Whether `transport/port` is one of the rule's candidate ports.
    public func isCandidate(_ transport: Transport, _ port: UInt16) -> Bool {
        ports.contains { $0.matches(transport, port) }
    }
}
