/// What a zone is for, in PCI DSS scoping terms.
public enum ZoneKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Stores, processes or transmits account data (the cardholder data environment).
    case cde
    /// Connected to or able to affect the security of the CDE.
    case connected
    /// Security services (logging, IDS, jump hosts) that protect the CDE.
    case security
    /// Segmented off from the CDE and out of PCI DSS scope.
    case outOfScope = "out-of-scope"
    /// Networks the entity does not control (internet, partners).
    case untrusted
    /// Wireless networks (1.3.3).
    case wireless
}

/// A network zone: a named set of prefixes with a scoping kind and an owner.
public struct Zone: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var kind: ZoneKind
    public var prefixes: [Prefix]
    public var owner: String?
    public var description: String?
    /// A stricter review cadence for this zone than the policy-wide one.
    public var review: ReviewCadence?

    public init(
        id: String, kind: ZoneKind, prefixes: [Prefix], owner: String? = nil, description: String? = nil,
        review: ReviewCadence? = nil
    ) {
        self.id = id
        self.kind = kind
        self.prefixes = prefixes
        self.owner = owner
        self.description = description
        self.review = review
    }

    /// Whether the zone is the cardholder data environment.
    public var isCDE: Bool { kind == .cde }
}
