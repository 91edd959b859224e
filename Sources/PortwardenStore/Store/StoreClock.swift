import Foundation
import PortwardenCore

/// Store time: microseconds since 1970 UTC, the unit of every time column.
public enum StoreClock {
    /// Now, in microseconds.
    public static func now() -> Int64 { micros(Date()) }

    /// A date in microseconds.
    public static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    /// Microseconds as a date.
    public static func date(_ micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }

    /// Microseconds as RFC 3339 text.
    public static func text(_ micros: Int64) -> String {
        let date = date(micros)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The `YYYY-MM` month of a time.
    public static func month(_ micros: Int64) -> String {
        let day = CalendarDay(containing: date(micros))
        return String(format: "%04d-%02d", day.year, day.month)
    }
}
