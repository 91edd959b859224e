/// The one line diff: an edit script from the longest common subsequence of two texts' lines, and
/// the two ways Portwarden prints it: the changed lines alone (the diff the store keeps with each
/// policy version) and unified hunks with three lines of context (`enforce apply --dry-run` and the
/// ruleset loads the store records). Lines are split as ``StringProtocol/textLines`` splits them, so
/// a file with Windows line endings diffs line by line, and equal to the same file with LF.
public enum LineDiff {
    /// One line of the edit script.
    public struct Edit: Hashable, Sendable {
        public enum Kind: Character, Hashable, Sendable {
            case same = " "
            case removed = "-"
            case added = "+"
        }

        public var kind: Kind
        public var text: String
        /// 0-based line numbers in the old and in the new text where the edit stands.
        public var oldLine: Int
        public var newLine: Int

        public init(kind: Kind, text: String, oldLine: Int, newLine: Int) {
            self.kind = kind
            self.text = text
            self.oldLine = oldLine
            self.newLine = newLine
        }
    }

    /// Above this many line pairs the quadratic table is not built: the texts are reported as
    /// replaced (``changedLines(old:new:)``) or only counted (``unified(_:_:oldName:newName:)``).
    public static let maximumLinePairs = 4_000_000

    /// The edit script turning `a` into `b`, or `nil` when `a.count × b.count` exceeds
    /// ``maximumLinePairs``. Where both an addition and a removal fit, the addition comes first.
    public static func edits(_ a: [String], _ b: [String]) -> [Edit]? {
        let n = a.count
        let m = b.count
        guard n <= maximumLinePairs, m <= maximumLinePairs, n * m <= maximumLinePairs else { return nil }
        var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var edits: [Edit] = []
        edits.reserveCapacity(max(n, m))
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                edits.append(Edit(kind: .same, text: a[i], oldLine: i, newLine: j))
                i += 1
                j += 1
            } else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] {
                edits.append(Edit(kind: .added, text: b[j], oldLine: i, newLine: j))
                j += 1
            } else {
                edits.append(Edit(kind: .removed, text: a[i], oldLine: i, newLine: j))
                i += 1
            }
        }
        return edits
    }

    /// The changed lines only, `-OLD` and `+NEW`, one a line: the diff kept with each policy version.
    /// Texts too large to diff read as every old line removed and every new line added.
    public static func changedLines(old: String, new: String) -> String {
        let a = lines(old)
        let b = lines(new)
        guard let edits = edits(a, b) else {
            return (a.map { "-" + $0 } + b.map { "+" + $0 }).joined(separator: "\n")
        }
        return edits.lazy.filter { $0.kind != .same }.map { String($0.kind.rawValue) + $0.text }.joined(
            separator: "\n")
    }

    /// A unified diff with three lines of context under `--- oldName` / `+++ newName`, or an empty
    /// string when the texts are equal. Texts too large to diff get one hunk line that counts them.
    public static func unified(_ old: String, _ new: String, oldName: String, newName: String) -> String {
        let a = lines(old)
        let b = lines(new)
        if a == b { return "" }
        guard let edits = edits(a, b) else {
            return
                "--- \(oldName)\n+++ \(newName)\n@@ \(a.count) lines differ from \(b.count) lines (too large to diff) @@\n"
        }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var index = 0
        while index < edits.count {
            guard let start = edits[index...].firstIndex(where: { $0.kind != .same }) else { break }
            var end = start
            var last = start
            while end < edits.count {
                if edits[end].kind != .same { last = end }
                if end - last > 6 { break }
                end += 1
            }
            let from = max(start - 3, index)
            let to = min(last + 4, edits.count)
            let hunk = edits[from..<to]
            let oldCount = hunk.filter { $0.kind != .added }.count
            let newCount = hunk.filter { $0.kind != .removed }.count
            // An empty side names the line it follows, as diff(1) does (`-0,0` for an empty file).
            let oldStart = (hunk.first?.oldLine ?? 0) + (oldCount == 0 ? 0 : 1)
            let newStart = (hunk.first?.newLine ?? 0) + (newCount == 0 ? 0 : 1)
            out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for edit in hunk { out += "\(edit.kind.rawValue)\(edit.text)\n" }
            index = to
        }
        return out
    }

    /// The lines of a text; a line break ends a line rather than starting an empty one, so an empty
    /// text has no lines and `"a\n"` has one.
    private static func lines(_ text: String) -> [String] {
        var lines = text.textLines.map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
