/// How urgent a finding is. Ordered from `info` (least) to `critical` (most).
public enum Severity: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case info
    case low
    case medium
    case high
    case critical

    private var rank: Int {
        switch self {
        case .info: return 0
        case .low: return 1
        case .medium: return 2
        case .high: return 3
        case .critical: return 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// One step more severe, saturating at `critical`.
    public var raised: Severity {
        Severity.allCases.first { $0.rank == rank + 1 } ?? .critical
    }

    /// One step less severe, saturating at `info`.
    public var lowered: Severity {
        Severity.allCases.first { $0.rank == rank - 1 } ?? .info
    }
}
