/// A line diff of two rulesets for `enforce apply --dry-run`: unified format with three lines of
/// context, from a longest common subsequence (inputs beyond 4 million line pairs are only counted).
public enum LineDiff {
    /// The diff, or an empty string when the texts are equal.
    public static func unified(_ old: String, _ new: String, oldName: String, newName: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if a == b { return "" }
        guard a.count * b.count <= 4_000_000 else {
            return
                "--- \(oldName)\n+++ \(newName)\n@@ \(a.count) lines differ from \(b.count) lines (too large to diff) @@\n"
        }
        let edits = script(a, b)
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var index = 0
        while index < edits.count {
            guard let start = edits[index...].firstIndex(where: { $0.kind != " " }) else { break }
            var end = start
            var last = start
            while end < edits.count {
                if edits[end].kind != " " { last = end }
                if end - last > 6 { break }
                end += 1
            }
            let from = max(start - 3, index)
            let to = min(last + 4, edits.count)
            let hunk = edits[from..<to]
            let oldStart = (hunk.first?.oldLine ?? 0) + 1
            let newStart = (hunk.first?.newLine ?? 0) + 1
            let oldCount = hunk.filter { $0.kind != "+" }.count
            let newCount = hunk.filter { $0.kind != "-" }.count
            out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for edit in hunk { out += "\(edit.kind)\(edit.text)\n" }
            index = to
        }
        return out
    }

    struct Edit {
        var kind: Character
        var text: String
        var oldLine: Int
        var newLine: Int
    }

    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count
        let m = b.count
        var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                edits.append(Edit(kind: " ", text: a[i], oldLine: i, newLine: j))
                i += 1
                j += 1
            } else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] {
                edits.append(Edit(kind: "+", text: b[j], oldLine: i, newLine: j))
                j += 1
            } else {
                edits.append(Edit(kind: "-", text: a[i], oldLine: i, newLine: j))
                i += 1
            }
        }
        return edits
    }
}
