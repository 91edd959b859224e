/// How often NSC configurations must be reviewed (PCI DSS 1.2.7: at least every six months),
/// written in a policy as `6 months`, `90 days` or `12 weeks`.
public struct ReviewCadence: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Unit: String, Hashable, Sendable, Codable {
        case days, weeks, months
    }

    public let count: Int
    public let unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// The PCI DSS 1.2.7 maximum.
    public static let sixMonths = ReviewCadence(count: 6, unit: .months)

    /// Parses `6 months`, `1 month`, `90 days`, `12 weeks`.
    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let n = Int(parts[0]), n > 0, n <= 10_000 else { return nil }
        switch parts[1].lowercased() {
        case "day", "days": self.init(count: n, unit: .days)
        case "week", "weeks": self.init(count: n, unit: .weeks)
        case "month", "months": self.init(count: n, unit: .months)
        default: return nil
        }
    }

    /// The day a review done on `day` next falls due.
    public func due(after day: CalendarDay) -> CalendarDay {
        switch unit {
        case .days: return day.adding(days: count)
        case .weeks: return day.adding(days: count * 7)
        case .months: return day.adding(months: count)
        }
    }

    /// An upper bound in days, to compare cadences of different units (a month counts as 31 days).
    public var maximumDays: Int {
        switch unit {
        case .days: return count
        case .weeks: return count * 7
        case .months: return count * 31
        }
    }

    /// Whether this cadence is looser than six months (what PCI DSS 1.2.7 allows at most).
    public var isLooserThanSixMonths: Bool {
        switch unit {
        case .months: return count > 6
        case .weeks: return count * 7 > 183
        case .days: return count > 184
        }
    }

    public var description: String {
        let name = count == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue
        return "\(count) \(name)"
    }
}
