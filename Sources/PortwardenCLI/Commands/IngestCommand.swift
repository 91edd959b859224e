import ArgumentParser
import PortwardenCore
import PortwardenMonitor
import PortwardenReport
import PortwardenScan
import PortwardenStore

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `portwarden ingest`: read a firewall, flow or authentication log once and judge the traffic in it
/// against the policy.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Judge the traffic in a firewall, flow or sshd log against the policy and print the alerts.",
        discussion: """
            Reads netfilter LOG lines (syslog, journal, RFC 5424 or dmesg framing), Zeek conn.log (TSV or JSON), \
            Suricata eve.json or sshd authentication lines, one pass from start to end, and correlates them: \
            traffic from sources a service's allow-from does not permit, traffic to undeclared ports or only \
            covered by an expired exception, port scans, repeated denies against CDE ports, IDS alerts joined \
            with flows into the CDE, authentication failures followed by access, and silent log sources. \
            docs/monitoring.md describes every format and rule.

            With an evidence store (one at the default location, or --db), the alerts are kept by fingerprint \
            (a repeat moves last-seen and adds to the count), the use of every declared service and exception \
            is counted for the 1.2.7 review (hits, first and last seen, up to 64 sources), and each file's \
            position (device, inode, a hash of its first bytes, byte offset, line) is committed in the same \
            transaction, so that the next run, or a run restarted after a crash, goes on after the last \
            committed line: nothing is lost or counted twice. --no-store judges without keeping anything. \
            --follow keeps reading as the files grow, finishes a file renamed away (rotation) before opening \
            the new one, starts again from the first byte of a truncated file (copytruncate), checks for \
            silent sources once a minute, and ends on SIGTERM or SIGINT after committing, with exit status 0.

            --syslog udp://ADDRESS:PORT or tcp://ADDRESS:PORT also sends every alert printed as an RFC 5424 message \
            (facility auth, severity from the finding's, the rule id as MSGID, the finding's JSON object as MSG; \
            octet-counted framing over TCP); a receiver that cannot be reached is reported once and costs nothing \
            else. Repeats of an alert within an hour are not printed or sent again; they only add to its count.

            --webhook http://ADDRESS:PORT/PATH (or https://, the receiver's certificate verified against the \
            system's trust store or only the CA certificates of --webhook-ca FILE, and required to name the \
            address) also posts every alert printed, the finding's JSON object as the \
            body, from a queue of its own (1,000 alerts at most, the oldest dropped when full), so that reading \
            never waits on the receiver: each attempt may take --webhook-timeout seconds (connect, send, answer); \
            a failed one (no connection, a timeout, HTTP 408, 429 or 5xx) is retried after 0.5 s, doubling up to \
            30 s, five attempts in all; another 4xx is a refusal and not retried. At the end the queue has \
            --webhook-timeout seconds to empty, and stderr says how many alerts were delivered and how many not.

            The webhook queue is bounded by --webhook-queue alerts and --webhook-queue-bytes bytes, and kept on disk \
            (--webhook-queue-file, by default webhook-queue in the store's data directory; in memory only \
            without a store): alerts not delivered by the end stay there and are posted by the next run, also \
            after SIGKILL (then the one alert in flight may be posted twice, with the same X-Portwarden-Delivery \
            header). docs/monitoring.md describes the file.

            Alerts go to stdout (text, or one finding object per line with --output json); broken lines are \
            reported on stderr as FILE:LINE:COLUMN and skipped. Exit status: 0 nothing at or above --fail-on, \
            1 an alert at or above it, 2 usage or input error (including a log that yields no event at all).

            Examples:
              portwarden ingest --policy policy.yaml --format netfilter /var/log/kern.log
              journalctl -k -o short-iso | portwarden ingest --policy policy.yaml --format netfilter -
              portwarden ingest --policy policy.yaml --format suricata eve.json --output json > alerts.jsonl
              portwarden ingest --policy policy.yaml --format zeek --follow /var/log/zeek/current/conn.log
            """
    )

    @Option(name: .long, help: "The policy file (YAML).")
    var policy: String

    @Option(name: .long, help: "The log format: netfilter, zeek, suricata or sshd.")
    var format: LogFormat

    @Argument(help: "The log files to read in order, or - for standard input.")
    var files: [String]

    @Option(name: .long, help: "Alert output: text or json (one finding object per line).")
    var output: IngestOutput = .text

    @Option(name: .long, help: "Exit 1 when an alert is at or above this severity (info|low|medium|high|critical).")
    var failOn: Severity = .high

    @Option(name: .long, help: "The time a log without years or times is read at (RFC 3339); default: now.")
    var at: String?

    @Flag(
        name: .long,
        help: "Keep reading the files as they grow, through rotation and truncation, until SIGTERM or SIGINT.")
    var follow = false

    @Option(name: .long, help: "With a store, commit alerts, usage and file offsets at least every this many lines.")
    var commitEvery: Int64 = 10_000

    @Option(
        name: .long,
        help: "Also send each alert as an RFC 5424 message to udp://ADDRESS:PORT or tcp://ADDRESS:PORT (octet-counted)."
    )
    var syslog: String?

    @OptionGroup var delivery: WebhookOptions

    @Option(name: .long, help: "Seconds each webhook attempt may take, and the queue at the end (default 5).")
    var webhookTimeout: Double = 5

    @Option(
        name: .long, help: ArgumentHelp("Alerts the webhook queue holds at most.", valueName: "alerts"))
    var webhookQueue = 1000

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Bytes of alert bodies the webhook queue holds at most.", valueName: "bytes"))
    var webhookQueueBytes = 16 << 20

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one log file, or - for standard input") }
        if let at, Timestamp.parse(at) == nil {
            throw ValidationError("--at \"\(at)\" is not an RFC 3339 time such as 2027-01-15T00:00:00Z")
        }
        if commitEvery < 1 { throw ValidationError("--commit-every must be at least 1") }
        if !(webhookTimeout > 0 && webhookTimeout <= 3600) {
            throw ValidationError("--webhook-timeout takes a positive number of seconds, at most 3600")
        }
        if delivery.webhookCa != nil && delivery.webhook == nil {
            throw ValidationError("--webhook-ca needs --webhook https://…")
        }
        if !(1...1_000_000).contains(webhookQueue) {
            throw ValidationError("--webhook-queue takes a whole number of alerts from 1 to 1000000")
        }
        if !(4096...(1 << 30)).contains(webhookQueueBytes) {
            throw ValidationError("--webhook-queue-bytes takes a whole number of bytes from 4096 to 1073741824")
        }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let loaded = try PolicyInput.load(policy)
        let now = at.flatMap { Timestamp.parse($0) } ?? Date()
        let evidence = try store.openForRecording()
        defer { try? evidence?.close() }
        let pipeline = IngestPipeline(policy: loaded, store: evidence, output: output)
        pipeline.syslog = try syslog.map(SyslogSink.parse(flag:))
        var queueSettings = WebhookQueue.Settings()
        queueSettings.capacity = webhookQueue
        queueSettings.maxBytes = webhookQueueBytes
        pipeline.webhook = try delivery.url().map {
            try WebhookOptions.sink(
                url: $0, settings: queueSettings, timeout: webhookTimeout, queueFile: delivery.webhookQueueFile,
                ca: delivery.webhookCa, store: evidence)
        }
        defer { pipeline.finishSinks() }
        let stop = SignalCancellation.install()
        let follower = try LogFollower(
            inputs: files.map { LogFollower.Input(path: $0, format: format) }, now: now, pipeline: pipeline,
            settings: LogFollower.Settings(follow: follow, commitEvery: commitEvery), stop: stop)
        if follow { follower.onTimer = Self.silenceTimer(pipeline, every: 60) }
        try follower.run()
        let totals = follower.counts
        // A log whose sources stopped before its end is judged at the time of its last event.
        if !follow, let lastTime = pipeline.lastEventTime { pipeline.tick(now: lastTime) }
        try follower.commit()
        Terminal.writeError(Self.summary(totals))
        if let evidence, pipeline.commits > 0 {
            Terminal.writeError("portwarden: recorded in \(evidence.location): alerts, usage and offsets")
        }
        if follow && stop.isCancelled { return }
        if totals.flows + totals.securityEvents == 0 && !follower.resumed {
            throw CLIFailure.input(
                "no \(format.rawValue) event in \(files.joined(separator: ", ")): is --format right?")
        }
        if let worst = pipeline.worst, worst >= failOn { throw CLIFailure.findings }
    }

    /// Checks for silent log sources (10.7.2) every `interval` seconds while following.
    static func silenceTimer(_ pipeline: IngestPipeline, every interval: TimeInterval) -> () throws -> Void {
        var last = Date()
        return {
            let now = Date()
            guard now.timeIntervalSince(last) >= interval else { return }
            last = now
            pipeline.tick(now: now)
        }
    }

    static func textLine(_ alert: MonitorAlert) -> String {
        let f = alert.finding
        var place = f.zone ?? "-"
        if let host = f.host { place += " \(host)" }
        if let transport = f.transport, let port = f.port { place += " \(transport.rawValue)/\(port)" }
        let ids = f.requirements.isEmpty ? "" : " [\(f.requirements.map(\.id).joined(separator: ", "))]"
        return "\(Timestamp.format(alert.lastSeen)) \(f.severity.rawValue) \(f.rule)\(ids) \(place): \(f.message)\n"
    }

    static func summary(_ c: LogCounts) -> String {
        func n(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return
            "portwarden: \(n(c.lines, "line")) read: \(n(c.flows, "flow")), \(n(c.securityEvents, "security event")), "
            + "\(c.ignored) ignored, \(n(c.problems, "broken line")) skipped"
    }
}

/// `--output` of `ingest`.
enum IngestOutput: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

extension LogFormat: ExpressibleByArgument {}

extension LogCounts {
    mutating func add(_ other: LogCounts) {
        flows += other.flows
        securityEvents += other.securityEvents
        ignored += other.ignored
        blank += other.blank
        problems += other.problems
    }
}
