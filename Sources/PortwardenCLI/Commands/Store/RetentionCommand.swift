import ArgumentParser
import PortwardenStore

/// `portwarden retention …`: hot tier, monthly archives, deletion past retention.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Move old evidence to monthly archives and report what is kept (PCI DSS 10.5.1).",
        subcommands: [RetentionRunCommand.self, RetentionReportCommand.self]
    )
}

/// Hot-tier and retention lengths shared by both retention commands.
struct RetentionOptions: ParsableArguments {
    @Option(name: .long, help: "Days kept in the database (at least 90).")
    var hotDays = RetentionPolicy.minimumHotDays

    @Option(name: .long, help: "Days kept in all before deletion (at least 365).")
    var keepDays = RetentionPolicy.minimumKeepDays

    func policy() throws -> RetentionPolicy {
        try StoreFailure.run { try RetentionPolicy(hotDays: hotDays, keepDays: keepDays) }
    }
}

/// `portwarden retention run`.
struct RetentionRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Archive months older than the hot window; delete archives older than the retention period.",
        discussion: """
            Rows that finished before the hot window (ended intervals, old scans, finding events) leave the tables, \
            whole months of audit records older than the hot window are written to immutable compressed archives \
            (ARCHIVE-DIR/YYYY-MM.pwa.gz, SHA-256 chained), and archives older than --keep-days are deleted. Every \
            step is itself recorded. Settings below PCI DSS 10.5.1's minimum are refused.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var retention: RetentionOptions

    func run() async throws {
        let policy = try retention.policy()
        let opened = try store.open()
        defer { try? opened.close() }
        let result = try StoreFailure.run { try opened.runRetention(policy) }
        print("rows moved out of the hot tier: \(result.rowsMoved)")
        print(
            "archived months: \(result.archivedMonths.isEmpty ? "none" : result.archivedMonths.joined(separator: ", "))"
        )
        print(
            "deleted past retention: \(result.deletedMonths.isEmpty ? "none" : result.deletedMonths.joined(separator: ", "))"
        )
    }
}

/// `portwarden retention report`.
struct RetentionReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Oldest evidence per source, hot coverage, gaps and chain status.",
        discussion:
            "Exits 1 when the chain does not verify or the hot tier is short of --hot-days with older evidence archived."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var retention: RetentionOptions

    func run() async throws {
        let policy = try retention.policy()
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        let report = try StoreFailure.run { try opened.retentionReport(hotDays: policy.hotDays) }
        print("retention: hot \(policy.hotDays) days, kept \(policy.keepDays) days")
        print("oldest record: \(report.oldestRecord.map(StoreClock.text) ?? "none")")
        print(
            "hot tier from: \(report.oldestHotRecord.map(StoreClock.text) ?? "none") (\(Int(report.hotCoverageDays)) days)"
        )
        print("oldest evidence per source:")
        for source in report.sources {
            print("  \(source.name): \(StoreClock.text(source.oldest))\(source.archived ? " (archived)" : "")")
        }
        print("archives: \(report.archives.count)")
        for archive in report.archives {
            print(
                "  \(archive.month): \(archive.records) records, sha256 \(archive.sha256)\(archive.deleted ? ", deleted past retention" : "")"
            )
        }
        print("months without evidence: \(report.gaps.isEmpty ? "none" : report.gaps.joined(separator: ", "))")
        let chain = report.verification
        print(
            "chain: \(chain.isIntact ? "verifies" : "DOES NOT VERIFY (\(chain.issues.count) problems; run `portwarden log verify`)"), "
                + "\(chain.records) records, last \(chain.lastSeq)")
        if !chain.isIntact { throw CLIFailure.findings }
    }
}
