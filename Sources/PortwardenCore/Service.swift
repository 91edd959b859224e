/// Where a declared service is expected to listen on its host.
public enum BindScope: String, Hashable, Sendable, Codable, CaseIterable {
    /// All addresses (0.0.0.0, ::).
    case wildcard
    /// One specific non-loopback address.
    case address
    /// 127.0.0.0/8 or ::1 only.
    case loopback
    /// Inside a container's network namespace.
    case container
}

/// A declared, justified service: what may listen where, for whom, and why (PCI DSS 1.2.5).
public struct Service: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var zone: String
    /// The hosts the service runs on; empty means every host of the zone.
    public var hosts: [Prefix]
    public var ports: [PortSpec]
    /// The expected owner of the listener (executable name or path), when declared.
    public var process: String?
    /// The bind scope the service is declared with (default: any scope is acceptable).
    public var bind: BindScope?
    /// Who may connect; empty means only the service's own zone.
    public var allowFrom: [AccessSource]
    public var justification: String?
    public var owner: String?
    public var approvedBy: String?
    public var approvedOn: CalendarDay?
    public var ticket: String?
    /// Free text for people; not used by the evaluator.
    public var description: String?

    public init(
        id: String, zone: String, hosts: [Prefix] = [], ports: [PortSpec], process: String? = nil,
        bind: BindScope? = nil, allowFrom: [AccessSource] = [], justification: String? = nil, owner: String? = nil,
        approvedBy: String? = nil, approvedOn: CalendarDay? = nil, ticket: String? = nil, description: String? = nil
    ) {
        self.id = id
        self.zone = zone
        self.hosts = hosts
        self.ports = ports
        self.process = process
        self.bind = bind
        self.allowFrom = allowFrom
        self.justification = justification
        self.owner = owner
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.ticket = ticket
        self.description = description
    }

    /// Whether the service covers `transport/port`.
    public func covers(_ transport: Transport, _ port: UInt16) -> Bool {
        ports.contains { $0.matches(transport, port) }
    }
}
