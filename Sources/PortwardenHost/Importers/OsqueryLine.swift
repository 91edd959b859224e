import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One result-log line with the plain or ECS envelope resolved.
struct OsqueryLine {
    var host: String
    var name: String?
    var counter: Int64?
    var unixTime: Int64?
    var calendarTime: String?
    var action: String?
    var columns: JSONValue?
    var added: [JSONValue]?
    var removed: [JSONValue]?
    var snapshot: [JSONValue]?

    init(_ raw: JSONValue) {
        let ecs = raw["osquery"]?["result"]
        let envelope = ecs ?? raw
        host =
            (envelope["hostIdentifier"] ?? envelope["host_identifier"] ?? envelope["hostname"] ?? raw["hostname"]
            ?? raw["host"]?["name"])?.text ?? "unknown"
        name = (envelope["name"] ?? raw["name"])?.text
        counter = (envelope["counter"] ?? raw["counter"])?.integer
        unixTime = (envelope["unixTime"] ?? envelope["unix_time"])?.integer
        calendarTime = (envelope["calendarTime"] ?? envelope["calendar_time"])?.text
        action = envelope["action"]?.text
        columns = envelope["columns"] ?? raw["columns"]
        let diff = envelope["diffResults"] ?? raw["diffResults"]
        added = diff?["added"]?.elements
        removed = diff?["removed"]?.elements
        snapshot = (envelope["snapshot"] ?? raw["snapshot"])?.elements
    }

    /// When osquery ran the query: `unixTime`, else `calendarTime` (`Tue Nov  5 06:08:26 2018 UTC`).
    var time: Date? {
        if let unixTime, unixTime > 0 { return Date(timeIntervalSince1970: TimeInterval(unixTime)) }
        return calendarTime.flatMap(Self.calendarDate)
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Tue Nov  5 06:08:26 2018 UTC` (the weekday is not checked) as a date.
    static func calendarDate(_ text: String) -> Date? {
        let words = text.split(separator: " ")
        guard words.count == 6, words[5] == "UTC", let month = months.firstIndex(of: String(words[1])),
            let day = Int(words[2]), let year = Int(words[4]),
            let date = CalendarDay(year: year, month: month + 1, day: day)
        else { return nil }
        let clock = words[3].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, clock[0] < 24, clock[1] < 60, clock[2] < 61 else { return nil }
        let seconds = clock[0] * 3_600 + clock[1] * 60 + clock[2]
        return date.start.addingTimeInterval(TimeInterval(seconds))
    }
}
