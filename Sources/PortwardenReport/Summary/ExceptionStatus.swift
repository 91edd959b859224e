import PortwardenCore
import PortwardenPolicy

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
    /// Holds, but was written without an expiry (exceptions are time-boxed so that each 1.2.7 review
    /// re-examines them).
    case noExpiry = "no expiry"

    /// How many days before expiry an exception counts as expiring: the window of the evaluator's
    /// PW-EXCEPTION-EXPIRING rule, so that the report and the finding agree.
    static let warningDays = EvaluationOptions().expiringWithinDays

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
