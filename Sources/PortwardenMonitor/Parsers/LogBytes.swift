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

    /// Whether `line` contains `upper` (upper-case ASCII) in any case, without copying the line.
    static func findIgnoringCase(_ line: ArraySlice<UInt8>, _ upper: StaticString) -> Bool {
        let count = upper.utf8CodeUnitCount
        guard count > 0 else { return true }
        return upper.withUTF8Buffer { needle in
            var i = line.startIndex
            while i + count <= line.endIndex {
                var k = 0
                while k < count {
                    let byte = line[i + k]
                    guard (byte >= 97 && byte <= 122 ? byte - 32 : byte) == needle[k] else { break }
                    k += 1
                }
                if k == count { return true }
                i += 1
            }
            return false
        }
    }

    /// An RFC 3339 time, also with a `±HHMM` offset (journalctl, Suricata) or without any
    /// offset (read as UTC).
    static func isoTime(_ bytes: ArraySlice<UInt8>) -> Date? {
        bytes.withUnsafeBytes { isoTime(raw: $0) }
    }

    /// ``isoTime(_:)`` on raw bytes; only a `±HHMM` offset or a missing one costs a copy.
    static func isoTime(raw: UnsafeRawBufferPointer) -> Date? {
        if let date = Timestamp.parse(bytes: raw) { return date }
        let n = raw.count
        if n >= 5, raw[n - 5] == UInt8(ascii: "+") || raw[n - 5] == UInt8(ascii: "-"),
            raw[(n - 4)...].allSatisfy({ $0 >= 48 && $0 <= 57 })
        {
            var fixed = Array(raw)
            fixed.insert(UInt8(ascii: ":"), at: n - 2)
            return fixed.withUnsafeBytes { Timestamp.parse(bytes: $0) }
        }
        if n >= 19, n <= 26, raw[10] == UInt8(ascii: "T") {
            return (Array(raw) + [UInt8(ascii: "Z")]).withUnsafeBytes { Timestamp.parse(bytes: $0) }
        }
        return nil
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
