import Foundation
import PortwardenCore
import Testing

/// Golden-file comparison. The goldens live in `Tests/PortwardenReportTests/Golden/` and are
/// bundled as test resources.
///
/// To regenerate them after an intended change of output, run the tests with
/// `PORTWARDEN_UPDATE_GOLDEN=1`:
///
///     PORTWARDEN_UPDATE_GOLDEN=1 swift test --filter PortwardenReportTests
///
/// which rewrites the files in the source tree (review the diff before committing), then run the
/// tests again without it (the bundle copy is refreshed on the next build).
enum GoldenFile {
    static var updating: Bool { ProcessInfo.processInfo.environment["PORTWARDEN_UPDATE_GOLDEN"] == "1" }

    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// Compares `actual` with the golden file `name`; with `PORTWARDEN_UPDATE_GOLDEN=1` writes it.
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if updating {
            try actual.write(to: sourceDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            print("updated golden file \(name)")
            return
        }
        guard let directory = Bundle.module.url(forResource: "Golden", withExtension: nil),
            let expected = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        else {
            Issue.record(
                "golden file \(name) is missing; run with PORTWARDEN_UPDATE_GOLDEN=1 to create it",
                sourceLocation: sourceLocation)
            return
        }
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            let got = line < a.count ? String(a[line]) : "<end>"
            let want = line < e.count ? String(e[line]) : "<end>"
            let comment = Comment(
                rawValue: "\(name) differs from its golden file at line \(line + 1):\n  got:  \(got)\n  want: \(want)\n"
                    + "(PORTWARDEN_UPDATE_GOLDEN=1 regenerates the goldens)")
            Issue.record(comment, sourceLocation: sourceLocation)
        }
    }
}
