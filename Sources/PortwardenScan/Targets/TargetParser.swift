import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Expands target specifications into addresses: single addresses, CIDR prefixes
/// (`10.0.0.0/30`, `fd00::/120`), ranges (`10.0.0.1-10.0.0.20`, `10.0.0.1-20`, `fd00::1-fd00::ff`),
/// comma lists, and `@file` (one specification per line, `#` starts a comment).
///
/// Host names are never resolved: a scan of a CDE must say exactly which addresses it touches.
public enum TargetParser {
    /// The most addresses one parse may produce (2^24, a /8): more is almost always a typo.
    public static let defaultLimit = 1 << 24

    /// Parses and expands the specifications; the result is sorted and free of duplicates.
    /// - Parameters:
    ///   - specs: specifications as given on the command line.
    ///   - limit: the most addresses allowed in total.
    /// - Returns: the addresses, IPv4 before IPv6, each family in ascending order.
    /// - Throws: ``TargetError`` naming the offending specification.
    public static func parse(_ specs: [String], limit: Int = defaultLimit) throws -> [IPAddress] {
        var ranges: [(first: UInt128, last: UInt128, ipv4: Bool)] = []
        var count: UInt128 = 0
        var any = false
        for spec in specs {
            for piece in spec.split(separator: ",", omittingEmptySubsequences: true) {
                let text = String(piece.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                if text.isEmpty { continue }
                any = true
                if text.hasPrefix("@") {
                    for (entry, file, line) in try fileEntries(String(text.dropFirst())) {
                        do {
                            try add(entry, to: &ranges, count: &count, limit: limit)
                        } catch var error as TargetError {
                            error.file = file
                            error.line = line
                            throw error
                        }
                    }
                } else {
                    try add(text, to: &ranges, count: &count, limit: limit)
                }
            }
        }
        guard any else { throw TargetError(.noTargets, spec: "", detail: "no targets given") }
        return expand(ranges)
    }

    /// Parses one address, prefix or range into an inclusive interval of raw address bits.
    static func interval(_ text: String) throws -> (first: UInt128, last: UInt128, ipv4: Bool) {
        if let slash = text.firstIndex(of: "/") {
            let addressText = text[..<slash]
            let lengthText = text[text.index(after: slash)...]
            guard let address = IPAddress(addressText) else { throw notAddress(text) }
            let family = address.isIPv4 ? "IPv4" : "IPv6"
            guard !lengthText.isEmpty, lengthText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw TargetError(.prefixLength, spec: text, detail: "prefix length must be a number")
            }
            guard let length = Int(lengthText), length <= address.bitWidth,
                let prefix = Prefix(address: address, length: length)
            else {
                throw TargetError(
                    .prefixLength, spec: text,
                    detail: "prefix length \(lengthText) is out of range for \(family) (0-\(address.bitWidth))")
            }
            return (prefix.first, prefix.last, address.isIPv4)
        }
        if let dash = text.firstIndex(of: "-") {
            return try range(text, start: String(text[..<dash]), end: String(text[text.index(after: dash)...]))
        }
        guard let address = IPAddress(text) else { throw notAddress(text) }
        return (address.value, address.value, address.isIPv4)
    }

    private static func range(_ text: String, start: String, end: String) throws -> (UInt128, UInt128, Bool) {
        guard let first = IPAddress(start) else { throw notAddress(text) }
        var last: IPAddress
        if let full = IPAddress(end) {
            last = full
        } else if first.isIPv4, !end.isEmpty, end.count <= 3, end.allSatisfy({ $0.isASCII && $0.isNumber }),
            let octet = UInt32(end), octet <= 255
        {
            last = IPAddress(ipv4: first.ipv4Value & 0xFFFF_FF00 | octet)
        } else {
            throw TargetError(
                .badRange, spec: text, detail: "the range end \"\(end)\" is not an address or a last octet (0-255)")
        }
        guard first.isIPv4 == last.isIPv4 else {
            throw TargetError(.badRange, spec: text, detail: "the range mixes IPv4 and IPv6")
        }
        guard first.value <= last.value else {
            throw TargetError(
                .badRange, spec: text, detail: "the range ends before it starts; write the lower address first")
        }
        return (first.value, last.value, first.isIPv4)
    }

    private static func notAddress(_ text: String) -> TargetError {
        TargetError(.notAnAddress, spec: text, detail: "not an address, prefix or range (host names are not resolved)")
    }

    private static func add(
        _ text: String, to ranges: inout [(first: UInt128, last: UInt128, ipv4: Bool)], count: inout UInt128,
        limit: Int
    ) throws {
        let range = try interval(text)
        let size = range.last - range.first
        if size >= UInt128(limit) || count + size + 1 > UInt128(limit) {
            let shown = size == UInt128.max ? "2^128" : String(size + 1)
            throw TargetError(
                .tooMany, spec: text,
                detail: "this expands to \(shown) addresses, more than the limit of \(limit) per scan; "
                    + "split the scan or use a longer prefix")
        }
        count += size + 1
        ranges.append(range)
    }

    /// Reads `@file`: one specification per line (commas allowed), `#` comments, blank lines skipped.
    static func fileEntries(_ path: String) throws -> [(String, String, Int)] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TargetError(
                .unreadableFile, spec: "@\(path)",
                detail: "cannot read the target file (does it exist and is it readable?)")
        }
        var entries: [(String, String, Int)] = []
        let text = String(decoding: data, as: UTF8.self)
        for (number, rawLine) in text.textLines.enumerated() {
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for piece in content.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\r" }) {
                entries.append((String(piece), path, number + 1))
            }
        }
        guard !entries.isEmpty else {
            throw TargetError(.emptyFile, spec: "", detail: "@\(path) lists no targets")
        }
        return entries
    }

    private static func expand(_ ranges: [(first: UInt128, last: UInt128, ipv4: Bool)]) -> [IPAddress] {
        var result: [IPAddress] = []
        for range in ranges {
            var value = range.first
            while true {
                result.append(IPAddress(value: value, isIPv4: range.ipv4))
                if value == range.last { break }
                value += 1
            }
        }
        result.sort()
        var unique: [IPAddress] = []
        unique.reserveCapacity(result.count)
        for address in result where unique.last != address { unique.append(address) }
        return unique
    }
}
