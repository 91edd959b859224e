import PortwardenCore

extension Finding {
    /// `10.20.1.12:23/tcp`, `[fd00::1]:22/tcp`, `10.20.1.12`, `*:23/tcp` or `-`: where the finding is.
    var targetLabel: String {
        let hostText = host.map { $0.isIPv4 ? $0.description : "[\($0.description)]" }
        switch (hostText, port) {
        case (let h?, let p?): return "\(h):\(p)" + (transport.map { "/\($0.rawValue)" } ?? "")
        case (let h?, nil): return h
        case (nil, let p?): return "*:\(p)" + (transport.map { "/\($0.rawValue)" } ?? "")
        case (nil, nil): return "-"
        }
    }

    /// The requirement ids joined with commas, `1.2.5, 2.2.4`.
    var requirementList: String { requirements.map(\.id).joined(separator: ", ") }

    /// A one-line name of what the finding is about: zone, target and policy object, when known.
    var subjectLabel: String {
        var parts: [String] = []
        if let zone { parts.append(zone) }
        if host != nil || port != nil { parts.append(targetLabel) }
        if let subject { parts.append(subject) }
        return parts.isEmpty ? "-" : parts.joined(separator: " ")
    }
}

/// Counts of findings per severity.
struct SeverityCounts: Sendable {
    private(set) var counts: [Severity: Int] = [:]

    init(_ findings: [Finding]) {
        for finding in findings { counts[finding.severity, default: 0] += 1 }
    }

    subscript(_ severity: Severity) -> Int { counts[severity] ?? 0 }

    var total: Int { counts.values.reduce(0, +) }

    /// Severities from most to least severe.
    static let descending: [Severity] = Severity.allCases.sorted(by: >)

    /// How many findings are at or above `severity`.
    func atOrAbove(_ severity: Severity) -> Int {
        counts.filter { $0.key >= severity }.values.reduce(0, +)
    }
}

/// Small text helpers shared by the text renderers.
enum TextLayout {
    /// `text` padded with spaces to `width` characters (never cut).
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Breaks `text` at spaces into lines of at most `width` characters; a word longer than the
    /// width stays whole on its own line. Existing line breaks are kept. Nothing is dropped.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// `text` safe to print on a terminal: control characters are shown as `\u{1B}`-style escapes,
    /// so a hostile service banner in a message cannot send escape sequences to the user's terminal
    /// or forge extra lines of output. Newlines are kept only when `keepingNewlines` is true (text
    /// that is wrapped into its own block of lines).
    static func printable(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if (keepingNewlines && scalar == "\n") || !isControl(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// `1 finding`, `3 findings`.
    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// `0.4 s`, `12 s`, `2 min 5 s`, `1 h 3 min`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 10 { return String((seconds * 10).rounded() / 10) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole / 60 % 60) min"
    }
}
