import PortwardenCore

/// Conversions between UTC date-times and seconds since 1970 for certificate validity, on Core's
/// `CalendarDay` (the days-from-civil algorithm of the proleptic Gregorian calendar), without
/// Foundation.
enum CivilTime {
    /// Seconds since 1970-01-01T00:00:00Z; `nil` for a day that does not exist or out-of-range
    /// fields (a leap second counts as the next second).
    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64? {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            let calendarDay = CalendarDay(year: year, month: month, day: day)
        else { return nil }
        return Int64(calendarDay.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// `2026-12-01T09:45:00Z` for seconds since 1970.
    static func format(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let day = CalendarDay(daysSinceEpoch: Int(days))
        return "\(day)T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}
