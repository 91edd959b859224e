import ArgumentParser
import PortwardenCore
import PortwardenMonitor
import PortwardenPolicy
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

/// `portwarden monitor`: follow the configured logs, judge their traffic against the policy, keep what was
/// judged in the store, until SIGTERM.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Follow firewall, flow and sshd logs and judge their traffic against the policy until stopped.",
        discussion: """
            The long-running form of `portwarden ingest --follow`: reads every configured input as it grows \
            (files through rotation and truncation, standard input until it ends), judges the traffic with the \
            same correlator, prints alerts on stdout and, with an evidence store, commits alerts, service usage \
            and file offsets together, so that a restart after a crash goes on after the last committed line. \
            Every --check-every seconds it reports log sources that wrote nothing for --silence-after seconds \
            (PW-LOG-SOURCE-SILENT, PCI DSS 10.7.2).

            Inputs come from --config (lines `input FORMAT PATH`, `silence-after N`, `check-every N`, \
            `commit-every N`, `syslog URL`, `webhook URL`; # starts a comment) and from --input FORMAT:PATH; flags win over the file. \
            docs/monitoring.md describes the formats and what is kept.

            --syslog (or `syslog URL`) also sends every alert as an RFC 5424 message over UDP or TCP, and \
            --webhook (or `webhook URL`, with `webhook-timeout SECONDS`, `webhook-queue ALERTS` and \
            `webhook-attempts N`) posts it as JSON from a bounded queue with retries, as `portwarden ingest` does.

            Signals: SIGTERM or SIGINT commits and exits 0; SIGHUP reads the policy file again and judges with \
            it from then on; a policy with errors on reload is reported on stderr and the one in use is kept.

            Examples:
              portwarden monitor --policy policy.yaml --config /etc/portwarden/monitor.conf
              portwarden monitor --policy policy.yaml --input netfilter:/var/log/kern.log --input sshd:/var/log/auth.log
            """
    )

    @Option(name: .long, help: "The policy file (YAML); read again on SIGHUP.")
    var policy: String

    @Option(name: .long, help: "The monitor configuration: inputs and timers, one setting per line.")
    var config: String?

    @Option(name: .long, help: "An input as FORMAT:PATH (netfilter, zeek, suricata or sshd; PATH - is standard input).")
    var input: [String] = []

    @Option(name: .long, help: "Alert output: text or json (one finding object per line).")
    var output: IngestOutput = .text

    @Option(name: .long, help: "A log source silent this many seconds is reported (default 3600).")
    var silenceAfter: Double?

    @Option(name: .long, help: "How often, in seconds, silent sources are checked for (default 60).")
    var checkEvery: Double?

    @Option(name: .long, help: "With a store, commit at least every this many lines (default 10000).")
    var commitEvery: Int64?

    @Option(
        name: .long,
        help: "Also send each alert as an RFC 5424 message to udp://ADDRESS:PORT or tcp://ADDRESS:PORT (octet-counted)."
    )
    var syslog: String?

    @Option(name: .long, help: "Also post each alert as JSON to http://ADDRESS:PORT/PATH (queued, retried).")
    var webhook: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        for value in [silenceAfter, checkEvery].compactMap({ $0 }) where value <= 0 {
            throw ValidationError("--silence-after and --check-every take a positive number of seconds")
        }
        if let commitEvery, commitEvery < 1 { throw ValidationError("--commit-every must be at least 1") }
    }

    func run() throws {
        let settings = try resolvedSettings()
        var correlatorSettings = CorrelatorSettings()
        if let silence = settings.silenceAfter { correlatorSettings.silenceAfter = silence }
        let loaded = try PolicyInput.load(policy)
        let evidence = try store.openForRecording()
        defer { try? evidence?.close() }
        let pipeline = IngestPipeline(policy: loaded, store: evidence, output: output, settings: correlatorSettings)
        pipeline.syslog = try (syslog ?? settings.syslog).map(SyslogSink.init(url:))
        pipeline.webhook = try (webhook.map(IngestCommand.webhookURL) ?? settings.webhook).map {
            WebhookSink(url: $0, settings: Self.webhookQueue(settings), timeout: settings.webhookTimeout ?? 5)
        }
        defer { pipeline.finishSinks() }
        let stop = SignalCancellation.install()
        PolicyReloadSignal.install()
        let follower = try LogFollower(
            inputs: settings.inputs, now: Date(), pipeline: pipeline,
            settings: LogFollower.Settings(follow: true, commitEvery: settings.commitEvery ?? 10_000), stop: stop)
        let silence = IngestCommand.silenceTimer(pipeline, every: settings.checkEvery ?? 60)
        let policyPath = policy
        follower.onTimer = {
            if PolicyReloadSignal.take() { Self.reload(policyPath, into: pipeline) }
            try silence()
        }
        Terminal.writeError(
            "portwarden: monitoring \(settings.inputs.map { "\($0.format.rawValue):\($0.path)" }.joined(separator: ", "))"
        )
        try follower.run()
        Terminal.writeError(IngestCommand.summary(follower.counts))
    }

    /// The webhook queue's settings from the configuration.
    static func webhookQueue(_ settings: MonitorConfig) -> WebhookQueue.Settings {
        var queue = WebhookQueue.Settings()
        if let capacity = settings.webhookQueue { queue.capacity = capacity }
        if let attempts = settings.webhookAttempts { queue.attempts = attempts }
        return queue
    }

    /// Reads the policy again; keeps the one in use when the new one has errors.
    static func reload(_ path: String, into pipeline: IngestPipeline) {
        do {
            pipeline.replacePolicy(try PolicyInput.load(path))
            Terminal.writeError("portwarden: SIGHUP: policy \(path) reloaded")
        } catch {
            let reason = (error as? CLIFailure)?.message ?? "\(error)"
            Terminal.writeError(
                "portwarden: SIGHUP: policy \(path) not reloaded, the policy in use is kept: \(reason)")
        }
    }

    /// Reads and parses the `--config` file.
    static func loadConfig(_ path: String) throws -> MonitorConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure.input("\(path): cannot read the monitor configuration")
        }
        return try MonitorConfig.parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Config file, then flags.
    func resolvedSettings() throws -> MonitorConfig {
        var settings = try config.map(Self.loadConfig) ?? MonitorConfig()
        for text in input {
            guard let colon = text.firstIndex(of: ":"), let format = LogFormat(rawValue: String(text[..<colon])),
                !text[text.index(after: colon)...].isEmpty
            else {
                throw CLIFailure.input(
                    "--input \(text): expected FORMAT:PATH, FORMAT one of "
                        + LogFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let path = String(text[text.index(after: colon)...])
            settings.inputs.removeAll { $0.path == path }
            settings.inputs.append(LogFollower.Input(path: path, format: format))
        }
        if let silenceAfter { settings.silenceAfter = silenceAfter }
        if let checkEvery { settings.checkEvery = checkEvery }
        if let commitEvery { settings.commitEvery = commitEvery }
        guard !settings.inputs.isEmpty else {
            throw CLIFailure.input("no input to monitor: name one with --input FORMAT:PATH or in --config")
        }
        if settings.inputs.filter({ $0.path == "-" }).count > 1 {
            throw CLIFailure.input("standard input (-) can be read only once")
        }
        return settings
    }
}
