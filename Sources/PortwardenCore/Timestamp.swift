#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// RFC 3339 timestamps without Foundation's formatters: fast enough for millions of records and
/// identical on every platform.
public enum Timestamp {
    /// Formats `date` as `2026-11-29T10:00:00Z`, with milliseconds when they are not zero.
    public static func format(_ date: Date) -> String {
        let total = date.timeIntervalSince1970
        var seconds = Int(total.rounded(.down))
        var millis = Int(((total - Double(seconds)) * 1000).rounded())
        if millis == 1000 {
            seconds += 1
            millis = 0
        }
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let day = CalendarDay(daysSinceEpoch: days)
        func pad(_ v: Int, _ w: Int = 2) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        var text = "\(day)T\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60))"
        if millis != 0 { text += "." + pad(millis, 3) }
        return text + "Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a lower-case `t`/`z` or a space instead of
    /// `T` is accepted. A bare `YYYY-MM-DD` means 00:00:00Z of that day.
    public static func parse(_ text: some StringProtocol) -> Date? {
        let b = Array(text.utf8)
        return b.withUnsafeBytes { parse(bytes: $0) }
    }

    /// ``parse(_:)`` on the text's UTF-8 bytes, for readers that never make a string of it.
    public static func parse(bytes b: UnsafeRawBufferPointer) -> Date? {
        func digits(_ i: Int, _ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            return v
        }
        guard b.count >= 10, let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            b[7] == UInt8(ascii: "-"), let dayOfMonth = digits(8, 2),
            let day = CalendarDay(year: year, month: month, day: dayOfMonth)
        else { return nil }
        if b.count == 10 { return day.start }
        guard b.count >= 20 else { return nil }
        let sep = b[10]
        guard sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " ") else { return nil }
        guard let hh = digits(11, 2), b[13] == UInt8(ascii: ":"), let mm = digits(14, 2), b[16] == UInt8(ascii: ":"),
            let ss = digits(17, 2), hh < 24, mm < 60, ss <= 60
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, let oh = digits(i + 1, 2), b[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2),
                oh < 24, om < 60
            else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let seconds = day.daysSinceEpoch * 86400 + hh * 3600 + mm * 60 + ss - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
