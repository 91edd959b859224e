/// The policy-wide NSC review settings (PCI DSS 1.2.7).
public struct ReviewSettings: Hashable, Sendable, Codable {
    public var every: ReviewCadence
    /// The day the last completed review was signed off, if any.
    public var last: CalendarDay?

    public init(every: ReviewCadence = .sixMonths, last: CalendarDay? = nil) {
        self.every = every
        self.last = last
    }
}

/// The declared plane: zones, justified services and exceptions, as loaded from a policy file.
public struct Policy: Hashable, Sendable, Codable {
    public var version: Int
    public var organization: String?
    public var entity: EntityType
    public var review: ReviewSettings
    public var zones: [Zone]
    public var services: [Service]
    public var exceptions: [PolicyException]

    public init(
        version: Int = 1, organization: String? = nil, entity: EntityType = .merchant,
        review: ReviewSettings = ReviewSettings(), zones: [Zone] = [], services: [Service] = [],
        exceptions: [PolicyException] = []
    ) {
        self.version = version
        self.organization = organization
        self.entity = entity
        self.review = review
        self.zones = zones
        self.services = services
        self.exceptions = exceptions
    }

    /// The zone with the given id.
    public func zone(_ id: String) -> Zone? { zones.first { $0.id == id } }
}
