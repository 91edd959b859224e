/// A documented, time-boxed policy exception: a port that is allowed although the policy would
/// otherwise flag it (an undeclared or insecure service). Not a PCI DSS compensating control: it
/// discharges only 1.2.5, 1.2.6, 2.2.4 and 2.2.5.
public struct PolicyException: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var zone: String
    /// The hosts it covers; empty means every host of the zone.
    public var hosts: [Prefix]
    public var ports: [PortSpec]
    public var allowFrom: [AccessSource]
    /// The rule ids it accepts (`PW-INSECURE-SERVICE`, `INS-TELNET`, …); empty means any rule on
    /// these ports.
    public var rules: [String]
    public var justification: String?
    public var mitigations: [String]
    public var owner: String?
    public var approvedBy: String?
    public var approvedOn: CalendarDay?
    public var ticket: String?
    /// The last day on which the exception holds (through 23:59:59 UTC).
    public var expires: CalendarDay?
    /// Free text for people; not used by the evaluator.
    public var description: String?
    /// A compensating control worksheet (PCI DSS Appendices B and C) the entity wrote for the
    /// requirements this exception cannot discharge (2.2.7, 8.3.1, 8.3.2, 4.2.1). Not part of the
    /// exception: findings under those requirements stay and read "in place via" it.
    public var compensatingControl: String?
    /// A customized-approach targeted risk analysis (PCI DSS Appendix D, 12.3.2) cited the same way.
    public var customizedApproach: String?

    public init(
        id: String, zone: String, hosts: [Prefix] = [], ports: [PortSpec], allowFrom: [AccessSource] = [],
        rules: [String] = [], justification: String? = nil, mitigations: [String] = [], owner: String? = nil,
        approvedBy: String? = nil, approvedOn: CalendarDay? = nil, ticket: String? = nil, expires: CalendarDay? = nil,
        description: String? = nil, compensatingControl: String? = nil, customizedApproach: String? = nil
    ) {
        self.id = id
        self.zone = zone
        self.hosts = hosts
        self.ports = ports
        self.allowFrom = allowFrom
        self.rules = rules
        self.justification = justification
        self.mitigations = mitigations
        self.owner = owner
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.ticket = ticket
        self.expires = expires
        self.description = description
        self.compensatingControl = compensatingControl
        self.customizedApproach = customizedApproach
    }

    public func covers(_ transport: Transport, _ port: UInt16) -> Bool {
        ports.contains { $0.matches(transport, port) }
    }
}
