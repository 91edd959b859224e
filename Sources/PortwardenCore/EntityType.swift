/// Whether the policy's owner is a merchant or a service provider; service providers have
/// tighter cadences (reference/pci-dss.md §0 item 7: 11.4.6, 12.5.2.1, 12.4.2).
public enum EntityType: String, Hashable, Sendable, Codable {
    case merchant
    case serviceProvider = "service_provider"

    /// Months between segmentation tests: 12 (11.4.5), 6 for service providers (11.4.6).
    public var segmentationTestMonths: Int { self == .serviceProvider ? 6 : 12 }

    /// The requirements a segmentation test is held to: 11.4.5 for every entity that uses segmentation,
    /// and 11.4.6 besides for service providers (reference/pci-dss.md §6, cadence summary).
    public var segmentationTestRequirements: [Requirement] {
        self == .serviceProvider ? [Requirement("11.4.5"), Requirement("11.4.6")] : [Requirement("11.4.5")]
    }

    /// Requirements that apply to service providers only and that this tool does not evidence
    /// (reference/pci-dss.md §0 item 7 and §4): reports list them as not evidenced, never as met. 10.7.1 is
    /// not among them: it was superseded by 10.7.2 for all entities (§0 item 6).
    public var providerOnlyRequirements: [Requirement] {
        self == .serviceProvider ? [Requirement("12.4.2"), Requirement("12.5.2.1")] : []
    }
}
