import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a policy exception stands at the time of a report.
enum ExceptionStatus: String, Sendable {
    /// Holds, and does not expire within the warning window.
    case valid
    /// Holds, but its last day is at most ``warningDays`` days away.
    case expiring
    /// Its last day has passed.
    case expired
    /// Holds, but was written without an expiry (PCI DSS 1.5.1 expects a limited period).
    case noExpiry = "no expiry"

    /// How many days before expiry an exception counts as expiring.
    static let warningDays = 30

    /// The status of an exception that expires at the end of `expires`, at `date`.
    init(expires: CalendarDay?, at date: Date) {
        guard let expires else {
            self = .noExpiry
            return
        }
        let daysLeft = expires.daysSinceEpoch - CalendarDay(containing: date).daysSinceEpoch
        if date >= expires.end {
            self = .expired
        } else if daysLeft <= ExceptionStatus.warningDays {
            self = .expiring
        } else {
            self = .valid
        }
    }
}
