/// How long evidence stays in the database (hot) and in all (hot + archives) before it may be deleted.
/// PCI DSS 10.5.1: at least twelve months, the last three immediately available; Portwarden refuses less.
public struct RetentionPolicy: Sendable, Hashable {
    public static let minimumHotDays = 90
    public static let minimumKeepDays = 365

    public var hotDays: Int
    public var keepDays: Int

    /// Validated settings; throws when either is below the minimum or the hot tier outlasts retention.
    public init(hotDays: Int = minimumHotDays, keepDays: Int = minimumKeepDays) throws {
        guard hotDays >= Self.minimumHotDays else {
            throw StoreError(
                .retention, "--hot-days \(hotDays) is below the minimum of \(Self.minimumHotDays) (PCI DSS 10.5.1)")
        }
        guard keepDays >= Self.minimumKeepDays else {
            throw StoreError(
                .retention, "--keep-days \(keepDays) is below the minimum of \(Self.minimumKeepDays) (PCI DSS 10.5.1)")
        }
        guard keepDays >= hotDays else {
            throw StoreError(.retention, "--keep-days \(keepDays) is shorter than --hot-days \(hotDays)")
        }
        self.hotDays = hotDays
        self.keepDays = keepDays
    }

    static let microsPerDay: Int64 = 86_400_000_000
}

/// What a retention run did.
public struct RetentionRunResult: Sendable, Hashable {
    public var rowsMoved = 0
    public var archivedMonths: [String] = []
    public var deletedMonths: [String] = []
    public var reanchoredRows = 0
}
