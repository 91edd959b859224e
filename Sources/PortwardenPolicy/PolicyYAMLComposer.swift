import PortwardenCore
import Yams

/// Turns checked policy text into a Yams node tree, converting Yams errors into diagnostics.
///
/// Yams stops at the first duplicated key in a mapping. To go on reporting every other problem,
/// the composer finds the second occurrence in the text, reports both lines, renames that key to
/// one the reader skips (`duplicateMarker`), and composes again (at most `maximumRecoveries` times).
enum PolicyYAMLComposer {
    /// Appended to a duplicated key so that the document composes; readers skip such keys.
    static let duplicateMarker = "~portwarden-duplicate~"
    private static let maximumRecoveries = 50

    static func compose(_ text: String, log: inout DiagnosticLog) -> Node? {
        var current = text
        for _ in 0...maximumRecoveries {
            do {
                // No implicit tags: the readers take every scalar as text and interpret it themselves,
                // and Yams' default resolver ran a regular expression per scalar (also for each mapping
                // key it compares for duplicates). Keys now compare by their text alone: a plain `1`
                // and a quoted "1", which the readers both take as the text 1, are a duplicate.
                let parser = try Parser(yaml: current, resolver: .basic)
                return try parser.singleRoot()
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let duplicates, let context) = error,
                    let key = duplicates.first,
                    let repaired = recoverDuplicate(key: key, first: context.mark, in: current, log: &log)
                {
                    current = repaired
                    continue
                }
                report(error, text: current, log: &log)
                return nil
            } catch {
                log.error(.yamlSyntax, at: .file, "the policy file could not be parsed: \(error)")
                return nil
            }
        }
        log.error(.duplicateKey, at: .file, "too many duplicated keys; fix the ones reported and lint again")
        return nil
    }

    /// Reports a duplicate key and returns the text with the second occurrence renamed, or `nil`
    /// when the second occurrence cannot be found (then the Yams error is reported as it is).
    private static func recoverDuplicate(
        key: String, first: Mark, in text: String, log: inout DiagnosticLog
    )
        -> String?
    {
        var lines = text.textLines.map(String.init)
        guard first.line >= 1, first.line <= lines.count, !key.isEmpty,
            let second = secondOccurrence(of: key, after: first, lines: lines)
        else { return nil }
        log.error(
            .duplicateKey, at: SourceLocation(line: second.line, column: second.column),
            "key \"\(key)\" appears twice in the same mapping (first at line \(first.line), again at line "
                + "\(second.line)); the second one is ignored, remove or merge it")
        var scalars = Array(lines[second.line - 1].unicodeScalars)
        let insertAt = second.column - 1 + key.unicodeScalars.count
        guard insertAt <= scalars.count else { return nil }
        scalars.insert(contentsOf: duplicateMarker.unicodeScalars, at: insertAt)
        var rebuilt = String.UnicodeScalarView()
        rebuilt.append(contentsOf: scalars)
        lines[second.line - 1] = String(rebuilt)
        return lines.joined(separator: "\n")
    }

    /// The block-mapping line after `first` whose key starts in the same column with the same text.
    private static func secondOccurrence(of key: String, after first: Mark, lines: [String]) -> SourceLocation? {
        let keyScalars = Array(key.unicodeScalars)
        for index in first.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            var column = 0
            while column < scalars.count, scalars[column] == " " { column += 1 }
            if column == scalars.count || scalars[column] == "#" { continue }
            if column + 1 < first.column { return nil }
            guard column + 1 == first.column else { continue }
            let end = column + keyScalars.count
            guard end < scalars.count, Array(scalars[column..<end]) == keyScalars else { continue }
            var after = end
            while after < scalars.count, scalars[after] == " " { after += 1 }
            if after < scalars.count, scalars[after] == ":" {
                return SourceLocation(line: index + 1, column: column + 1)
            }
        }
        return nil
    }

    private static func report(_ error: YamlError, text: String, log: inout DiagnosticLog) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let end = endLocation(of: text)
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at line \(min(context.mark.line, end.line)))"
            }
            log.error(.yamlSyntax, at: clamped(SourceLocation(mark), to: end), message)
        case .reader(let problem, let offset, _, _):
            log.error(.yamlSyntax, at: location(ofUTF8Offset: offset, in: text), "YAML syntax error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            log.error(
                .duplicateKey, at: SourceLocation(context.mark),
                "key \(names) appears more than once in the same mapping; remove or merge the duplicates")
        default:
            log.error(.yamlSyntax, at: .file, "the policy file could not be parsed: \(error)")
        }
    }

    /// libyaml moves its mark to the start of a new line when the input does not end with a line
    /// break, so an error at the end of such a file would name a line the file does not have; it is
    /// reported at the end of the last line instead.
    private static func clamped(_ location: SourceLocation, to end: SourceLocation) -> SourceLocation {
        location.line > end.line || (location.line == end.line && location.column > end.column) ? end : location
    }

    /// The position just after the last character, counting line breaks as YAML does (LF, CRLF and
    /// a lone CR).
    private static func endLocation(of text: String) -> SourceLocation {
        var line = 1
        var column = 1
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if !previousCR { line += 1 }
                column = 1
            } else if scalar == "\r" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            previousCR = scalar == "\r"
        }
        return SourceLocation(line: line, column: column)
    }

    private static func location(ofUTF8Offset offset: Int?, in text: String) -> SourceLocation {
        guard let offset, offset >= 0 else { return .file }
        var line = 1
        var column = 1
        for (index, byte) in text.utf8.enumerated() {
            if index >= offset { break }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }
}
