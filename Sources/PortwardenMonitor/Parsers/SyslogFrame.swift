import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The framing around a log message: BSD syslog (RFC 3164, also `journalctl -o short`), ISO 8601
/// timestamps (rsyslog's high-precision format, `journalctl -o short-iso`), RFC 5424, or a bare
/// kernel line (`dmesg`: `[86412.123456] …`).
struct SyslogFrame {
    /// When the line says it was written; `nil` for bare kernel lines.
    var time: Date?
    /// The host name field.
    var host: String?
    /// The program (`kernel`, `sshd`), without a `[pid]`.
    var program: ArraySlice<UInt8>
    /// Where the message starts.
    var messageStart: Int

    private static let months: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Reads the framing of `line`.
    /// - Parameters:
    ///   - line: the line's bytes.
    ///   - now: the reference time that gives BSD timestamps (which carry no year) their year: the
    ///     year of `now`, or the year before when that would put the line more than a day ahead.
    /// - Returns: the frame; a line with no recognisable framing is a bare message starting at 0.
    static func read(_ line: ArraySlice<UInt8>, now: Date) -> SyslogFrame {
        var i = line.startIndex
        // <PRI>, as a syslog receiver or a file written by one may keep it.
        if i < line.endIndex, line[i] == UInt8(ascii: "<"),
            let close = line[i...].prefix(6).firstIndex(of: UInt8(ascii: ">"))
        {
            i = close + 1
            if LogBytes.has(line, "1 ", at: i) { return rfc5424(line, from: i + 2, now: now) }
        }
        if let (time, next) = bsdTime(line, from: i, now: now) ?? isoTime(line, from: i) {
            return hostAndProgram(line, from: next, time: time)
        }
        return SyslogFrame(time: nil, host: nil, program: line[i..<i], messageStart: i)
    }

    private static func rfc5424(_ line: ArraySlice<UInt8>, from: Int, now: Date) -> SyslogFrame {
        // TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
        var fields: [ArraySlice<UInt8>] = []
        var i = from
        while fields.count < 5, i < line.endIndex {
            let end = LogBytes.tokenEnd(line, from: i)
            fields.append(line[i..<end])
            i = LogBytes.skipSpaces(line, from: end)
        }
        // Structured data: "-" or one or more [..] elements (a "]" inside quotes is escaped).
        if i < line.endIndex, line[i] == UInt8(ascii: "-") {
            i = LogBytes.skipSpaces(line, from: i + 1)
        } else {
            while i < line.endIndex, line[i] == UInt8(ascii: "[") {
                var j = i + 1
                var quoted = false
                while j < line.endIndex {
                    let b = line[j]
                    if b == UInt8(ascii: "\\") {
                        j += 2
                        continue
                    }
                    if b == UInt8(ascii: "\"") { quoted.toggle() }
                    if b == UInt8(ascii: "]"), !quoted { break }
                    j += 1
                }
                i = min(j + 1, line.endIndex)
            }
            i = LogBytes.skipSpaces(line, from: i)
        }
        if LogBytes.has(line, "\u{FEFF}", at: i) { i += 3 }
        let time = fields.first.flatMap { Timestamp.parse(LogBytes.text($0)) }
        let host = fields.count > 1 && fields[1] != [UInt8(ascii: "-")] ? LogBytes.text(fields[1]) : nil
        let program = fields.count > 2 ? fields[2] : line[i..<i]
        return SyslogFrame(time: time, host: host, program: program, messageStart: i)
    }

    private static func hostAndProgram(_ line: ArraySlice<UInt8>, from: Int, time: Date) -> SyslogFrame {
        var i = LogBytes.skipSpaces(line, from: from)
        let hostEnd = LogBytes.tokenEnd(line, from: i)
        let host = LogBytes.text(line[i..<hostEnd])
        i = LogBytes.skipSpaces(line, from: hostEnd)
        // TAG: "kernel:" or "sshd[1234]:"
        let tagEnd = LogBytes.tokenEnd(line, from: i)
        var program = line[i..<tagEnd]
        if program.last == UInt8(ascii: ":") {
            program = program.dropLast()
            if let bracket = program.firstIndex(of: UInt8(ascii: "[")) { program = program[..<bracket] }
            i = LogBytes.skipSpaces(line, from: tagEnd)
        } else {
            program = line[i..<i]
        }
        return SyslogFrame(time: time, host: host, program: program, messageStart: i)
    }

    /// `Nov 29 03:04:13` or `Nov  2 03:04:13`.
    private static func bsdTime(_ line: ArraySlice<UInt8>, from: Int, now: Date) -> (Date, Int)? {
        guard from + 15 <= line.endIndex,
            let month = months.firstIndex(where: { LogBytes.has(line, $0, at: from) }),
            line[from + 3] == LogBytes.space
        else { return nil }
        let dayStart = line[from + 4] == LogBytes.space ? from + 5 : from + 4
        guard let day = LogBytes.decimal(line[dayStart..<(from + 6)], max: 31), line[from + 6] == LogBytes.space,
            let hh = LogBytes.decimal(line[(from + 7)..<(from + 9)], max: 23), line[from + 9] == UInt8(ascii: ":"),
            let mm = LogBytes.decimal(line[(from + 10)..<(from + 12)], max: 59),
            line[from + 12] == UInt8(ascii: ":"),
            let ss = LogBytes.decimal(line[(from + 13)..<(from + 15)], max: 60)
        else { return nil }
        let year = CalendarDay(containing: now).year
        func date(_ year: Int) -> Date? {
            guard let calendarDay = CalendarDay(year: year, month: month + 1, day: Int(day)) else { return nil }
            return calendarDay.start.addingTimeInterval(Double(hh * 3600 + mm * 60 + ss))
        }
        guard var result = date(year) else { return nil }
        if result.timeIntervalSince(now) > 86400, let earlier = date(year - 1) { result = earlier }
        var next = from + 15
        // rsyslog may add fractional seconds to a BSD stamp only in its own format; skip a ".123".
        if next < line.endIndex, line[next] == UInt8(ascii: ".") {
            next = LogBytes.tokenEnd(line, from: next)
        }
        return (result, next)
    }

    /// `2026-11-29T03:04:13.123456+00:00`, `…+0000` (journalctl short-iso) or `…Z`.
    private static func isoTime(_ line: ArraySlice<UInt8>, from: Int) -> (Date, Int)? {
        guard from + 20 <= line.endIndex, line[from + 4] == UInt8(ascii: "-"), line[from + 10] == UInt8(ascii: "T")
        else { return nil }
        let end = LogBytes.tokenEnd(line, from: from)
        return LogBytes.isoTime(line[from..<end]).map { ($0, end) }
    }
}
