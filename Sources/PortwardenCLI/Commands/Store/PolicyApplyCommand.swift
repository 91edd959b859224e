import ArgumentParser
import Foundation
import PortwardenCore
import PortwardenEnforce
import PortwardenPolicy
import PortwardenStore

/// `portwarden policy apply FILE --change ID --reason TEXT`: record a policy version and its change record.
struct PolicyApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Record a new policy version, its diff and a change record (PCI DSS 6.5.1) in the store.",
        discussion: """
            The file must pass `policy lint`. The store keeps the whole file, its SHA-256 and its line diff from \
            the previous version, with the change record's reason, description, security impact, approval, test \
            evidence and back-out procedure.

            A version that changes a zone's kind or prefixes, or an allowed edge between zones (a source outside \
            the target zone, the target hosts, a port), compared with the previous version at the time of the \
            change, is also recorded as a segmentation change: the next segmentation test is due at once (PCI DSS \
            11.4.5; see segment-test --due).

            Example:
              portwarden policy apply policy.yaml --change CHG-1042 --reason "Open tcp/5432 for the new API" \\
                --approved-by ciso --security-impact "CDE ingress from cde-app only" --back-out "git revert"
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The policy file (YAML).") var file: String
    @Option(name: .long, help: "The change id (ticket).") var change: String
    @Option(name: .long, help: "Why the change is made.") var reason: String
    @Option(name: .long, help: "What changes.") var description: String = ""
    @Option(name: .long, help: "The security impact.") var securityImpact: String = ""
    @Option(name: .long, help: "Who approved the change.") var approvedBy: String = ""
    @Option(name: .long, help: "How it was tested.") var testEvidence: String = ""
    @Option(name: .long, help: "How to back it out.") var backOut: String = ""
    @Option(name: .long, help: "Who records it (default: $USER).") var by: String?

    func run() async throws {
        let result = PolicyLoader.load(contentsOf: file)
        let errors = result.diagnostics.filter { $0.level == .error }
        for diagnostic in errors { Terminal.writeError(diagnostic.description) }
        guard errors.isEmpty, result.policy != nil else {
            throw CLIFailure.input(
                "\(file): not applied: \(errors.count) error\(errors.count == 1 ? "" : "s") (see `policy lint`)")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIFailure.input("\(file): cannot read the file")
        }
        let opened = try store.open()
        defer { try? opened.close() }
        let recorder = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        let moment = Date()
        let edges = result.policy.map { SegmentationEdges(plan: FlowPlan(policy: $0, at: moment)) }
        let applied = try StoreFailure.run {
            try opened.applyPolicy(
                path: file, content: String(decoding: data, as: UTF8.self),
                change: ChangeRecordInput(
                    changeID: change, reason: reason, description: description, securityImpact: securityImpact,
                    approvedBy: approvedBy, testEvidence: testEvidence, backOut: backOut, recordedBy: recorder)
            ) { previous in
                guard let previous, let edges else { return nil }
                guard let old = PolicyLoader.parse(previous, file: "previous version").policy else {
                    return "the previous version does not load, so every edge counts as changed"
                }
                return edges.change(from: SegmentationEdges(plan: FlowPlan(policy: old, at: moment)))
            }
        }
        print(
            "policy version \(applied.versionID) (sha256 \(applied.sha256)) recorded with change \(change)"
                + (applied.changed ? "" : " (same content as the previous version)"))
        if let segmentation = applied.segmentationChange {
            print("segmentation change (the next segmentation test is due now): \(segmentation)")
        }
        if !applied.diff.isEmpty { print(applied.diff) }
    }
}
