import PortwardenCore
import Yams

/// Checks run on the raw bytes of a policy file before any YAML parser sees them: encoding,
/// emptiness, nesting depth and anchors/aliases. Deep nesting can overflow the recursive YAML
/// composer's stack, and aliases can expand exponentially ("billion laughs"), so both are refused
/// here, by a single linear pass that allocates nothing per byte.
struct YAMLPreflight {
    private enum Quote { case none, single, double }

    private let bytes: [UInt8]
    private let limits: PolicyLimits
    private var log: DiagnosticLog

    private var quote = Quote.none
    private var flowDepth = 0
    private var indentStack: [Int] = []
    private var blockScalarParentIndent: Int?
    /// Where the scalar being scanned started (byte index).
    private var tokenStart = 0
    /// The column (0-based) of the last mapping key on the current line: a block scalar's content
    /// must be indented more than the key that owns it.
    private var lastKeyColumn: Int?
    private var nestingReported = false
    private var aliasReports = 0
    private static let maximumAliasReports = 20

    private init(bytes: [UInt8], limits: PolicyLimits, file: String) {
        self.bytes = bytes
        self.limits = limits
        self.log = DiagnosticLog(file: file)
    }

    /// Runs every check and returns the problems found; an empty result means the text may be parsed.
    static func check(_ bytes: [UInt8], limits: PolicyLimits, file: String) -> [Diagnostic] {
        var log = DiagnosticLog(file: file)
        if bytes.count > limits.maximumBytes {
            log.error(
                .fileTooLarge, at: .file,
                "the policy file is \(bytes.count) bytes, more than the limit of \(limits.maximumBytes) bytes; "
                    + "split it or raise the limit")
            return log.items
        }
        if let problem = encodingProblem(bytes) {
            log.error(.invalidEncoding, at: problem.at, problem.value)
            return log.items
        }
        if isEmpty(bytes) {
            log.error(
                .emptyFile, at: .file, "the policy file is empty; start it with \"version: 1\" and a list of zones")
            return log.items
        }
        var scanner = YAMLPreflight(bytes: bytes, limits: limits, file: file)
        scanner.scan()
        return scanner.log.items
    }

    // MARK: - Encoding and emptiness

    /// The first NUL byte or invalid UTF-8 sequence, with its position.
    static func encodingProblem(_ bytes: [UInt8]) -> Located<String>? {
        var line = 1
        var column = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let at = SourceLocation(line: line, column: column)
            if b == 0 {
                return Located(value: "the policy file contains a NUL byte; it must be UTF-8 text", at: at)
            }
            let length = utf8SequenceLength(bytes, at: i)
            if length == 0 {
                return Located(
                    value: "the policy file is not valid UTF-8 (byte 0x\(String(b, radix: 16)) at offset \(i)); "
                        + "save it as UTF-8 text", at: at)
            }
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += length
        }
        return nil
    }

    /// The length of the well-formed UTF-8 sequence starting at `i`, or 0 when it is malformed.
    private static func utf8SequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let b0 = bytes[i]
        if b0 < 0x80 { return 1 }
        let length: Int
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, lowest) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, highest) = (3, 0x9F)
        case 0xF0: (length, lowest) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, highest) = (4, 0x8F)
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        let second = bytes[i + 1]
        guard second >= lowest, second <= highest else { return 0 }
        for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return 0 }
        return length
    }

    /// Whether the text holds nothing but whitespace, comments and document markers.
    static func isEmpty(_ bytes: [UInt8]) -> Bool {
        var atLineStart = true
        var inComment = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                atLineStart = true
                inComment = false
            } else if inComment || b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
                atLineStart = false
            } else if b == UInt8(ascii: "#") {
                inComment = true
            } else if atLineStart, isMarker(bytes, at: i) {
                i += 3
                atLineStart = false
                continue
            } else if i == 0, b == 0xEF, bytes.count >= 3, bytes[1] == 0xBB, bytes[2] == 0xBF {
                i += 3
                continue
            } else {
                return false
            }
            i += 1
        }
        return true
    }

    private static func isMarker(_ bytes: [UInt8], at i: Int) -> Bool {
        guard i + 2 < bytes.count else { return false }
        let c = bytes[i]
        guard c == UInt8(ascii: "-") || c == UInt8(ascii: ".") else { return false }
        guard bytes[i + 1] == c, bytes[i + 2] == c else { return false }
        return i + 3 == bytes.count || isSpaceOrBreak(bytes[i + 3])
    }

    static func isSpaceOrBreak(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
    }

    // MARK: - Structure

    private mutating func scan() {
        var lineStart = 0
        var lineNumber = 1
        while lineStart < bytes.count, !nestingReported {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            scanLine(lineStart..<lineEnd, number: lineNumber)
            lineStart = lineEnd + 1
            lineNumber += 1
        }
    }

    private mutating func scanLine(_ range: Range<Int>, number: Int) {
        var i = range.lowerBound
        var blockDepth = indentStack.count
        if quote == .none, flowDepth == 0 {
            var indent = 0
            while i < range.upperBound, bytes[i] == UInt8(ascii: " ") {
                indent += 1
                i += 1
            }
            if i == range.upperBound || bytes[i] == UInt8(ascii: "#") || bytes[i] == UInt8(ascii: "\r") { return }
            if let parent = blockScalarParentIndent {
                if indent > parent { return }
                blockScalarParentIndent = nil
            }
            while let top = indentStack.last, top > indent { indentStack.removeLast() }
            if indentStack.last != indent { indentStack.append(indent) }
            blockDepth = indentStack.count
            while i + 1 <= range.upperBound, bytes[i] == UInt8(ascii: "-"),
                i + 1 == range.upperBound || Self.isSpaceOrBreak(bytes[i + 1])
            {
                blockDepth += 1
                i += 1
                while i < range.upperBound, bytes[i] == UInt8(ascii: " ") { i += 1 }
            }
            if !checkDepth(blockDepth, line: number) { return }
        }
        scanTokens(from: i, to: range.upperBound, line: number, lineStart: range.lowerBound, blockDepth: blockDepth)
    }

    /// Reports nesting beyond the limit once; returns whether scanning may go on.
    private mutating func checkDepth(_ depth: Int, line: Int) -> Bool {
        guard depth > limits.maximumNesting else { return true }
        nestingReported = true
        log.error(
            .nestingTooDeep, at: SourceLocation(line: line, column: 1),
            "collections are nested more than \(limits.maximumNesting) levels deep; a policy needs at most 5, "
                + "so the file was not parsed")
        return false
    }

    private func column(of index: Int, lineStart: Int) -> Int {
        var column = 1
        var k = lineStart
        while k < index {
            if bytes[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        return column
    }

    private func isBreakOrEnd(_ index: Int, _ end: Int) -> Bool {
        index >= end || Self.isSpaceOrBreak(bytes[index])
    }
}

extension YAMLPreflight {
    /// Scans one line's tokens from `start`, tracking quotes, flow collections and node starts.
    fileprivate mutating func scanTokens(from start: Int, to end: Int, line: Int, lineStart: Int, blockDepth: Int) {
        var i = start
        var atNodeStart = quote == .none
        var previousIsSpace = true
        lastKeyColumn = nil
        while i < end, !nestingReported {
            let c = bytes[i]
            switch quote {
            case .single:
                if c == UInt8(ascii: "'") {
                    if i + 1 < end, bytes[i + 1] == UInt8(ascii: "'") {
                        i += 2
                        continue
                    }
                    quote = .none
                }
                i += 1
                continue
            case .double:
                if c == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if c == UInt8(ascii: "\"") { quote = .none }
                i += 1
                continue
            case .none:
                break
            }
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                previousIsSpace = true
                i += 1
                continue
            }
            if c == UInt8(ascii: "#"), previousIsSpace { return }
            previousIsSpace = false
            if flowDepth > 0, c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { atNodeStart = true }
            if atNodeStart {
                i = scanNodeStart(
                    at: i, end: end, line: line, lineStart: lineStart, blockDepth: blockDepth,
                    atNodeStart: &atNodeStart)
                continue
            }
            atNodeStart = scanInsideNode(c, at: i, end: end)
            if atNodeStart, c == UInt8(ascii: ":") { lastKeyColumn = tokenStart - lineStart }
            i += 1
        }
    }

    /// Handles the first character of a node; returns the next index to scan.
    private mutating func scanNodeStart(
        at i: Int, end: Int, line: Int, lineStart: Int, blockDepth: Int, atNodeStart: inout Bool
    ) -> Int {
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "'"):
            quote = .single
            atNodeStart = false
            tokenStart = i
        case UInt8(ascii: "\""):
            quote = .double
            atNodeStart = false
            tokenStart = i
        case UInt8(ascii: "&"), UInt8(ascii: "*"):
            reportAlias(isAnchor: c == UInt8(ascii: "&"), at: i, line: line, lineStart: lineStart)
            var k = i + 1
            while k < end, !Self.isSpaceOrBreak(bytes[k]), !Self.isFlowIndicator(bytes[k]) { k += 1 }
            atNodeStart = c == UInt8(ascii: "&")
            return k
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            flowDepth += 1
            _ = checkDepth(blockDepth + flowDepth, line: line)
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            flowDepth = max(0, flowDepth - 1)
            atNodeStart = false
        case UInt8(ascii: ","):
            break
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            if !isBreakOrEnd(i + 1, end) {
                atNodeStart = false
                tokenStart = i
            }
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            if flowDepth == 0 {
                blockScalarParentIndent = lastKeyColumn ?? indentStack.last ?? 0
                return end
            }
            atNodeStart = false
        case UInt8(ascii: "!"):
            var k = i + 1
            while k < end, !Self.isSpaceOrBreak(bytes[k]) { k += 1 }
            return k
        default:
            atNodeStart = false
            tokenStart = i
        }
        return i + 1
    }

    /// Handles a character inside a plain scalar; returns whether a new node starts after it.
    private mutating func scanInsideNode(_ c: UInt8, at i: Int, end: Int) -> Bool {
        if c == UInt8(ascii: ":") {
            if isBreakOrEnd(i + 1, end) { return true }
            if flowDepth > 0, i + 1 < end, Self.isFlowIndicator(bytes[i + 1]) { return true }
            return false
        }
        guard flowDepth > 0 else { return false }
        if c == UInt8(ascii: ",") { return true }
        if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { flowDepth -= 1 }
        return false
    }

    private mutating func reportAlias(isAnchor: Bool, at i: Int, line: Int, lineStart: Int) {
        guard aliasReports < Self.maximumAliasReports else { return }
        aliasReports += 1
        let what = isAnchor ? "an anchor (&…)" : "an alias (*…)"
        log.error(
            .aliasNotAllowed, at: SourceLocation(line: line, column: column(of: i, lineStart: lineStart)),
            "\(what) is not allowed in a policy file (aliases can expand without bound); "
                + "write the value out in full")
    }

    static func isFlowIndicator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "{")
            || b == UInt8(ascii: "}")
    }
}
