import ArgumentParser
import PortwardenCore
import PortwardenMonitor
import PortwardenReport

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

            Alerts go to stdout (text, or one finding object per line with --output json); broken lines are \
            reported on stderr as FILE:LINE:COLUMN and skipped. Exit status: 0 nothing at or above --fail-on, \
            1 an alert at or above it, 2 usage or input error (including a log that yields no event at all).

            Examples:
              portwarden ingest --policy policy.yaml --format netfilter /var/log/kern.log
              journalctl -k -o short-iso | portwarden ingest --policy policy.yaml --format netfilter -
              portwarden ingest --policy policy.yaml --format suricata eve.json --output json > alerts.jsonl
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

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one log file, or - for standard input") }
        if let at, Timestamp.parse(at) == nil {
            throw ValidationError("--at \"\(at)\" is not an RFC 3339 time such as 2027-01-15T00:00:00Z")
        }
    }

    func run() throws {
        let loaded = try PolicyInput.load(policy)
        let now = at.flatMap { Timestamp.parse($0) } ?? Date()
        var correlator = FlowCorrelator(policy: loaded)
        var worst: Severity?
        var totals = LogCounts()
        let renderer = FindingRenderer(color: false)
        func emit(_ alerts: [MonitorAlert]) {
            for alert in alerts {
                worst = max(worst ?? alert.finding.severity, alert.finding.severity)
                switch output {
                case .json: Terminal.write(renderer.render([alert.finding], format: .json, context: nil))
                case .text: Terminal.write(Self.textLine(alert))
                }
            }
        }
        var lastTime: Date?
        for path in files {
            let name = path == "-" ? "<stdin>" : path
            var reader = LogLineReader(format: format, file: name, now: now)
            let handle = { (item: LogReaderItem) in
                switch item {
                case .flow(let event):
                    lastTime = max(lastTime ?? event.time, event.time)
                    emit(correlator.observe(event, logSource: name))
                case .security(let event):
                    lastTime = max(lastTime ?? event.time, event.time)
                    emit(correlator.observe(event, logSource: name))
                case .problem(let problem):
                    Terminal.writeError(problem.description)
                }
            }
            try LogInput.stream(path) { chunk in reader.feed(chunk, handle) }
            reader.finish(handle)
            totals.add(reader.counts)
        }
        // A log whose sources stopped before its end is judged at the time of its last event.
        if let lastTime { emit(correlator.tick(now: lastTime)) }
        Terminal.writeError(Self.summary(totals))
        if totals.flows + totals.securityEvents == 0 {
            throw CLIFailure.input(
                "no \(format.rawValue) event in \(files.joined(separator: ", ")): is --format right?")
        }
        if let worst, worst >= failOn { throw CLIFailure.findings }
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
