import ArgumentParser
import PortwardenCore
import PortwardenEnforce
import PortwardenStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `portwarden enforce history`: the ruleset loads `enforce apply` recorded in the evidence store.
struct EnforceHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the ruleset loads and their change records from the evidence store.",
        discussion: """
            Every load `enforce apply` took to `nft -f` is in the store (ruleset_loads, with a change record of \
            kind enforce, PCI DSS 1.2.2 → 6.5.1). For each load, oldest first: when, who, the target (from the \
            marker comment of the generated ruleset in the recorded diff, or from the load it replaced), the file, \
            the new ruleset's SHA-256 and the previous one's, the diff summary, the backup and the outcome \
            (applied, rolled-back after a failed read-back, failed: refused by the kernel, which kept the previous \
            ruleset), then the change record (change id, reason, description, security impact, approval, test \
            evidence, back-out, recorded by), and whether the load changed a segmentation control — which makes \
            the next segmentation test from every zone due at once (segment-test --due) — with the zones tested \
            from since. `enforce apply --dry-run` loads nothing and is not recorded; a file `nft -c` refuses never \
            reaches the kernel and is not a load.

            Exit codes: 0 (also when nothing is recorded), 2 input error (no store, a bad --since or --host), \
            3 the store failed.

            Examples:
              portwarden enforce history
              portwarden enforce history --router --since 2026-12-01 --diff
              portwarden enforce history --db postgres://pw@db1:5432/portwarden --host 10.20.1.10 --format json
            """
    )

    @Option(name: .long, help: "Only loads of rulesets generated for this host (--host of enforce nft).")
    var host: String?

    @Flag(name: .long, help: "Only loads of rulesets generated for a router (--router of enforce nft).")
    var router = false

    @Option(name: .long, help: "Only loads at or after this time (RFC 3339 or YYYY-MM-DD).")
    var since: String?

    @Flag(name: .long, help: "Also print each load's recorded diff (text format).")
    var diff = false

    @Option(name: .long, help: "Output format: text, or json (one load per line).")
    var format: SegmentFormat = .text

    @OptionGroup(title: "Evidence store") var store: StoreOptions

    func validate() throws {
        if host != nil, router { throw ValidationError("give either --host ADDRESS or --router, not both") }
        if let host, IPAddress(host) == nil { throw ValidationError("--host \(host) is not an IP address") }
        if let since, Timestamp.parse(since) == nil {
            throw ValidationError("--since \"\(since)\" is not an RFC 3339 time such as 2027-01-15T00:00:00Z")
        }
    }

    func run() throws {
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        let (entries, tests) = try StoreFailure.run {
            (try opened.rulesetLoadHistory(), try opened.segmentationTests())
        }
        let wanted: EnforcementTarget? = router ? .router : host.flatMap(IPAddress.init).map { .host($0) }
        let from = since.flatMap { Timestamp.parse($0) }.map(StoreClock.micros) ?? Int64.min
        let shown = RulesetHistory.loads(entries, tests: tests).filter { load in
            load.entry.load.time >= from && (wanted == nil || load.target == wanted)
        }
        if format == .json {
            Terminal.write(shown.map { RulesetHistory.json($0) + "\n" }.joined())
            return
        }
        guard !shown.isEmpty else {
            Terminal.write(
                entries.isEmpty
                    ? "no ruleset loads recorded in \(opened.location) (enforce apply records each load)\n"
                    : "no ruleset loads match (\(entries.count) recorded in \(opened.location))\n")
            return
        }
        Terminal.write(
            "Ruleset loads in \(opened.location) (PCI DSS 1.2.2 → 6.5.1), oldest first\n"
                + shown.map { RulesetHistory.text($0, diff: diff) }.joined())
    }
}
