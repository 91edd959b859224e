import ArgumentParser
import PortwardenCore
import PortwardenStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `portwarden review daily`: the 10.4.1 summary of a day from the store, and its acknowledgement.
struct ReviewDailyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daily",
        abstract: "Summarise a day of monitored logs from the store and record its acknowledgement (PCI DSS 10.4.1).",
        discussion: """
            Prints the daily log review of a day (UTC; default today) from what `portwarden ingest` and \
            `portwarden monitor` kept in the store: the alerts seen that day by severity (with how often each was \
            raised and when), the declared services and exceptions used that day (hits, last seen, sources), with \
            --policy those declared but not seen in traffic (candidates for the 1.2.7 review), and each log \
            input's position with a warning when it committed nothing that day (a silent source or a stopped \
            monitor, 10.7.2). Then it says whether the day was acknowledged, by whom and when.

            With --ack --by WHO (and optionally --note) the summary as printed is acknowledged: the reviewer, the \
            time, the number of alerts and the SHA-256 of the summary are recorded in the store's audit chain. A \
            day is acknowledged once; acknowledging it again is an input error (exit 2).

            Examples:
              portwarden review daily --policy policy.yaml
              portwarden review daily --date 2026-12-01 --ack --by alice --note "escalated as INC-7"
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "The day to review, YYYY-MM-DD in UTC (default: today).") var date: String?
    @Option(name: .long, help: "The policy file, to list declared services not seen in traffic.") var policy: String?
    @Flag(name: .long, help: "Record that the summary was reviewed (needs --by).") var ack = false
    @Option(name: .long, help: "Who reviewed the summary.") var by: String?
    @Option(name: .long, help: "What the reviewer concluded or did.") var note: String?

    func validate() throws {
        if ack && (by ?? "").isEmpty { throw ValidationError("--ack needs --by WHO") }
        if !ack && (by != nil || note != nil) { throw ValidationError("--by and --note go with --ack") }
    }

    func run() throws {
        let day: CalendarDay
        if let date {
            guard let parsed = CalendarDay(date) else { throw CLIFailure.input("--date \(date): not a YYYY-MM-DD day") }
            day = parsed
        } else {
            day = CalendarDay(containing: Date())
        }
        let loaded = try policy.map(PolicyInput.load)
        let opened = try store.open(forWriting: ack)
        defer { try? opened.close() }
        let summary = try StoreFailure.run { try DailyReviewSummary(day: day, store: opened, policy: loaded) }
        let text = summary.text
        Terminal.write(text)
        if ack, let by {
            let review = DailyReview(
                day: day.description, reviewer: by, acknowledged: StoreClock.now(), note: note,
                alerts: Int64(summary.alerts.count), summarySHA256: LogResume.hash(Array(text.utf8)))
            try StoreFailure.run { try opened.acknowledgeDailyReview(review) }
            Terminal.write(
                "Acknowledged by \(by) at \(StoreClock.text(review.acknowledged)) (summary \(review.summarySHA256))\n")
            return
        }
        if let done = try StoreFailure.run({ try opened.dailyReview(day: day.description) }) {
            Terminal.write(
                "Acknowledged by \(done.reviewer) at \(StoreClock.text(done.acknowledged))"
                    + (done.note.map { ": \($0)" } ?? "") + " (summary \(done.summarySHA256))\n")
        } else {
            Terminal.write("Not acknowledged yet: portwarden review daily --date \(day) --ack --by WHO\n")
        }
    }
}
