import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Small byte-level helpers the log parsers share: no `String` is made until a value is kept.
enum LogBytes {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// The index of the first byte at or after `from` that is not a space.
    static func skipSpaces(_ line: ArraySlice<UInt8>, from: Int) -> Int {
        var i = from
        while i < line.endIndex, line[i] == space { i += 1 }
        return i
    }

    /// The end of the token starting at `from` (the next space or the end of the line).
    static func tokenEnd(_ line: ArraySlice<UInt8>, from: Int) -> Int {
        var i = from
        while i < line.endIndex, line[i] != space { i += 1 }
        return i
    }

    /// An unsigned decimal number, or `nil` when the bytes are empty, not digits or too large.
    static func decimal(_ bytes: ArraySlice<UInt8>, max: UInt64 = UInt64.max) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 20 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= 48, byte <= 57 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(byte - 48))
            guard !o1, !o2, s <= max else { return nil }
            value = s
        }
        return value
    }

    /// A port number 0–65535.
    static func port(_ bytes: ArraySlice<UInt8>) -> UInt16? {
        decimal(bytes, max: 65535).map { UInt16($0) }
    }

    /// Whether `line` contains `needle` starting exactly at `at`.
    static func has(_ line: ArraySlice<UInt8>, _ needle: StaticString, at: Int) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard at >= line.startIndex, at + count <= line.endIndex else { return false }
        return needle.withUTF8Buffer { buffer in
            for k in 0..<count where line[at + k] != buffer[k] { return false }
            return true
        }
    }

    /// The first index at or after `from` where `needle` starts, or `nil`.
    static func find(_ line: ArraySlice<UInt8>, _ needle: StaticString, from: Int) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard count > 0 else { return from }
        var i = from
        while i + count <= line.endIndex {
            if has(line, needle, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// An RFC 3339 time, also with a `±HHMM` offset (journalctl, Suricata) or without any
    /// offset (read as UTC).
    static func isoTime(_ bytes: ArraySlice<UInt8>) -> Date? {
        var text = text(bytes)
        if let date = Timestamp.parse(text) { return date }
        let utf8 = Array(bytes)
        let n = utf8.count
        if n >= 5, utf8[n - 5] == UInt8(ascii: "+") || utf8[n - 5] == UInt8(ascii: "-"),
            utf8[(n - 4)...].allSatisfy({ $0 >= 48 && $0 <= 57 })
        {
            text.insert(":", at: text.index(text.endIndex, offsetBy: -2))
            return Timestamp.parse(text)
        }
        if n >= 19, n <= 26, utf8[10] == UInt8(ascii: "T") { return Timestamp.parse(text + "Z") }
        return nil
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
