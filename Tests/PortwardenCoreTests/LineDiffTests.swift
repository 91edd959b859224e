import PortwardenCore
import Testing

struct LineDiffTests {
    @Test func changedLinesListRemovalsAndAdditionsOnly() {
        let old = "version: 1\nzones: []\nservices: []\n"
        let new = "version: 1\nzones: [a]\nservices: []\n"
        #expect(LineDiff.changedLines(old: old, new: new) == "+zones: [a]\n-zones: []")
        #expect(LineDiff.changedLines(old: old, new: old) == "")
        #expect(LineDiff.changedLines(old: "", new: "a\nb\n") == "+a\n+b", "a line break ends a line")
    }

    @Test func unifiedDiffHasHunksWithThreeLinesOfContext() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        var lines = (1...20).map { "line \($0)" }
        lines[9] = "line ten"
        let new = lines.joined(separator: "\n") + "\n"
        let diff = LineDiff.unified(old, new, oldName: "a.nft", newName: "b.nft")
        #expect(
            diff == """
                --- a.nft
                +++ b.nft
                @@ -7,7 +7,7 @@
                 line 7
                 line 8
                 line 9
                +line ten
                -line 10
                 line 11
                 line 12
                 line 13

                """)
        #expect(LineDiff.unified(old, old, oldName: "a", newName: "b") == "")
    }

    @Test func aNewFileIsOneHunkFromLineZero() {
        #expect(
            LineDiff.unified("", "a\nb\n", oldName: "/dev/null", newName: "b")
                == "--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n")
        #expect(LineDiff.unified("a\n", "", oldName: "a", newName: "b") == "--- a\n+++ b\n@@ -1,1 +0,0 @@\n-a\n")
    }

    @Test func changesFarApartAreSeparateHunks() {
        let old = (1...30).map { "r\($0)" }.joined(separator: "\n")
        var lines = (1...30).map { "r\($0)" }
        lines[1] = "x2"
        lines[27] = "x28"
        let diff = LineDiff.unified(old, lines.joined(separator: "\n"), oldName: "a", newName: "b")
        #expect(diff.textLines.filter { $0.hasPrefix("@@") } == ["@@ -1,5 +1,5 @@", "@@ -25,6 +25,6 @@"])
    }

    /// A file saved with Windows line endings diffs line by line, against itself with LF as well:
    /// the line break is not part of a line.
    @Test func windowsLineEndingsDiffLineByLine() {
        let lf = "table inet filter {\n\tchain input {\n\t}\n}\n"
        let crlf = lf.replacingAll("\n", with: "\r\n")
        #expect(LineDiff.unified(lf, crlf, oldName: "a", newName: "b") == "")
        let changed = crlf.replacingAll("input", with: "forward")
        #expect(LineDiff.changedLines(old: crlf, new: changed) == "+\tchain forward {\n-\tchain input {")
    }

    @Test func textsTooLargeToDiffAreCountedOrReplaced() {
        let old = (0..<2_001).map { "o\($0)" }.joined(separator: "\n")
        let new = (0..<2_001).map { "n\($0)" }.joined(separator: "\n")
        #expect(LineDiff.edits(old.textLines.map(String.init), new.textLines.map(String.init)) == nil)
        #expect(
            LineDiff.unified(old, new, oldName: "a", newName: "b")
                == "--- a\n+++ b\n@@ 2001 lines differ from 2001 lines (too large to diff) @@\n")
        let replaced = LineDiff.changedLines(old: old, new: new).textLines
        #expect(replaced.count == 4_002)
        #expect(replaced.first == "-o0" && replaced[2_001] == "+n0" && replaced.last == "+n2000")
    }

    @Test func editScriptNumbersLinesInBothTexts() throws {
        let edits = try #require(LineDiff.edits(["a", "b", "c"], ["a", "c", "d"]))
        #expect(
            edits == [
                .init(kind: .same, text: "a", oldLine: 0, newLine: 0),
                .init(kind: .removed, text: "b", oldLine: 1, newLine: 1),
                .init(kind: .same, text: "c", oldLine: 2, newLine: 1),
                .init(kind: .added, text: "d", oldLine: 3, newLine: 2),
            ])
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
