/// A line diff of two texts (longest common subsequence), printed as `-`/`+`/` ` lines: the diff kept with
/// each policy version.
enum LineDiff {
    static func unified(old: String, new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Policy files are small; beyond this the diff degrades to "replaced".
        guard a.count * b.count <= 4_000_000 else {
            return a.map { "-" + $0 }.joined(separator: "\n") + "\n" + b.map { "+" + $0 }.joined(separator: "\n")
        }
        var lengths = [[Int32]](repeating: [Int32](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                i += 1
                j += 1
            } else if j < b.count, i == a.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                out.append("+" + b[j])
                j += 1
            } else {
                out.append("-" + a[i])
                i += 1
            }
        }
        return out.joined(separator: "\n")
    }
}
