import PortwardenCore

/// Parses port lists: `22,80,1000-2000`, `all` or `-` (1-65535), open ranges (`1024-`, `-1023`),
/// and `top-N` (the N most common TCP ports by Portwarden's own ranking, ``PortList/topPorts``).
public enum PortList {
    /// Why a port list could not be parsed.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The offending token as written.
        public var token: String
        /// What is wrong with it.
        public var detail: String

        /// Creates an error.
        public init(token: String, detail: String) {
            self.token = token
            self.detail = detail
        }

        /// `port list: "70000": not a port number (1-65535)`.
        public var description: String { "port list: \"\(token)\": \(detail)" }
    }

    /// Parses a port list.
    /// - Parameter text: comma-separated tokens (spaces around them are ignored).
    /// - Returns: the ports, sorted and without duplicates.
    /// - Throws: ``ParseError`` naming the first bad token.
    public static func parse(_ text: String) throws -> [UInt16] {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw ParseError(token: text, detail: "no ports given; list them as 22,80,8000-8100, top-N or all")
        }
        // Ranges first, merged once: a token costs its own length, not the 65,535 ports of "all".
        var ranges: [ClosedRange<UInt128>] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let token = raw.filter { !$0.isWhitespace }
            guard !token.isEmpty else {
                throw ParseError(token: String(raw), detail: "empty entry; remove the extra comma")
            }
            ranges += try Self.ranges(of: token).map { UInt128($0.lowerBound)...UInt128($0.upperBound) }
        }
        guard !ranges.isEmpty else { throw ParseError(token: text, detail: "no ports given") }
        return IntervalSet(ranges).ranges.flatMap { ($0.lowerBound...$0.upperBound).map { UInt16($0) } }
    }

    /// The ports one token stands for.
    private static func ranges(of token: String) throws -> [ClosedRange<UInt16>] {
        let lower = token.lowercased()
        if lower == "all" || lower == "-" { return [1...65535] }
        if lower.hasPrefix("top-") || lower.hasPrefix("top") && lower.dropFirst(3).allSatisfy(\.isNumber) {
            let digits = lower.hasPrefix("top-") ? lower.dropFirst(4) : lower.dropFirst(3)
            guard let count = Int(digits), count >= 1, count <= topPorts.count else {
                throw ParseError(token: token, detail: "write top-N with N between 1 and \(topPorts.count)")
            }
            return topPorts.prefix(count).map { $0...$0 }
        }
        guard let dash = token.firstIndex(of: "-") else { return [try port(token, in: token)...port(token, in: token)] }
        let startText = token[..<dash]
        let endText = token[token.index(after: dash)...]
        let start = startText.isEmpty ? 1 : try port(startText, in: token)
        let end = endText.isEmpty ? 65535 : try port(endText, in: token)
        guard start <= end else {
            throw ParseError(token: token, detail: "the range ends before it starts; write the lower port first")
        }
        return [start...end]
    }

    private static func port(_ text: some StringProtocol, in token: String) throws -> UInt16 {
        guard !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ParseError(
                token: token, detail: "\"\(text)\" is not a port number (use numbers, ranges, all or top-N)")
        }
        guard let value = Int(text), value >= 1, value <= 65535 else {
            throw ParseError(token: token, detail: "port \(text) is out of range (1-65535)")
        }
        return UInt16(value)
    }
}
