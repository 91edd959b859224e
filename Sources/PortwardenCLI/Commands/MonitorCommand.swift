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

            Inputs come from --config (lines `input FORMAT PATH`, `input syslog URL`, `silence-after N`, \
            `check-every N`, `commit-every N`, `receiver-max-connections N`, `receiver-max-message BYTES`, \
            `syslog URL`, `webhook URL`, `webhook-queue-file PATH`, `webhook-ca FILE`; # starts a comment) and from --input FORMAT:PATH; flags win over the file. \
            docs/monitoring.md describes the formats and what is kept.

            Syslog receiver: `input syslog udp://ADDRESS:PORT` (one message per datagram) or \
            `input syslog tcp://ADDRESS:PORT` (octet counting, RFC 6587 `LEN SP MSG`, or one message per LF-ended \
            line, told apart by each connection's first byte), RFC 3164 or RFC 5424 messages. kernel netfilter \
            lines go to the netfilter parser, sshd lines to the sshd parser, Suricata EVE and Zeek JSON bodies to \
            theirs; other messages are counted as ignored. At most receiver-max-connections TCP connections \
            (default 64) and messages of receiver-max-message bytes (default 65536); a broken frame is reported \
            with the sender and its byte offset and the connection goes on. A receiver keeps no offsets: what \
            a UDP sender sends while the monitor is not running is lost (TCP senders such as rsyslog queue it \
            and send it when they reconnect).

            --syslog (or `syslog URL`) also sends every alert as an RFC 5424 message over UDP or TCP, and \
            --webhook (or `webhook URL`, with `webhook-timeout SECONDS`, `webhook-queue ALERTS` and \
            `webhook-queue-bytes BYTES`, `webhook-attempts N`) posts it as JSON from a bounded queue with retries, \
            as `portwarden ingest` does.

            The webhook queue is kept on disk (--webhook-queue-file, by default \
            webhook-queue in the store's data directory) so that alerts not yet delivered are posted after a \
            restart, also after SIGKILL. An https webhook's certificate is verified against the system's trust \
            store, or only the CA certificates of --webhook-ca (`webhook-ca FILE`).

            Signals: SIGTERM or SIGINT commits and exits 0; SIGHUP reads the policy file again and judges with \
            it from then on; a policy with errors on reload is reported on stderr and the one in use is kept.

            Examples:
              portwarden monitor --policy policy.yaml --config /etc/portwarden/monitor.conf
              portwarden monitor --policy policy.yaml --input netfilter:/var/log/kern.log --input sshd:/var/log/auth.log
              portwarden monitor --policy policy.yaml --input syslog:udp://0.0.0.0:5514 --input syslog:tcp://0.0.0.0:5514
            """
    )

    @Option(name: .long, help: "The policy file (YAML); read again on SIGHUP.")
    var policy: String

    @Option(name: .long, help: "The monitor configuration: inputs and timers, one setting per line.")
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "An input as FORMAT:PATH (netfilter, zeek, suricata or sshd; PATH - is standard input), or a syslog "
                + "receiver as syslog:udp://ADDRESS:PORT or syslog:tcp://ADDRESS:PORT."))
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

    @OptionGroup var delivery: WebhookOptions

    @OptionGroup var store: StoreOptions

    func validate() throws {
        for value in [silenceAfter, checkEvery].compactMap({ $0 }) where value <= 0 {
            throw ValidationError("--silence-after and --check-every take a positive number of seconds")
        }
        if let commitEvery, commitEvery < 1 { throw ValidationError("--commit-every must be at least 1") }
    }

    func run() throws {
        let settings = try resolvedSettings()
        let correlatorSettings = settings.correlatorSettings
        let loaded = try PolicyInput.load(policy)
        let evidence = try store.openForRecording()
        defer { try? evidence?.close() }
        let pipeline = IngestPipeline(policy: loaded, store: evidence, output: output, settings: correlatorSettings)
        pipeline.syslog = try syslog.map(SyslogSink.parse(flag:)) ?? settings.syslog.map(SyslogSink.init(url:))
        pipeline.webhook = try (delivery.url() ?? settings.webhook).map {
            try WebhookOptions.sink(
                url: $0, settings: Self.webhookQueue(settings), timeout: settings.webhookTimeout ?? 5,
                queueFile: delivery.webhookQueueFile ?? settings.webhookQueueFile,
                ca: delivery.webhookCa ?? settings.webhookCA, store: evidence)
        }
        defer { pipeline.finishSinks() }
        let stop = SignalCancellation.install()
        PolicyReloadSignal.install()
        let now = Date()
        var limits = SyslogReceiver.Limits()
        if let connections = settings.receiverMaxConnections { limits.maxConnections = connections }
        if let size = settings.receiverMaxMessage { limits.maxMessage = size }
        let receivers = try settings.receivers.map { try SyslogReceiver(url: $0, limits: limits, now: now) }
        let follower = try LogFollower(
            inputs: settings.inputs, receivers: receivers, now: now, pipeline: pipeline,
            settings: LogFollower.Settings(follow: true, commitEvery: settings.commitEvery ?? 10_000), stop: stop)
        let silence = IngestCommand.silenceTimer(pipeline, every: settings.checkEvery ?? 60)
        let policyPath = policy
        follower.onTimer = {
            if PolicyReloadSignal.take() { Self.reload(policyPath, into: pipeline) }
            try silence()
        }
        let names = settings.inputs.map { "\($0.format.rawValue):\($0.path)" } + receivers.map { "syslog:\($0.url)" }
        Terminal.writeError("portwarden: monitoring \(names.joined(separator: ", "))")
        try follower.run()
        Terminal.writeError(IngestCommand.summary(follower.counts))
    }

    /// The webhook queue's settings from the configuration.
    static func webhookQueue(_ settings: MonitorConfig) -> WebhookQueue.Settings {
        var queue = WebhookQueue.Settings()
        if let capacity = settings.webhookQueue { queue.capacity = capacity }
        if let bytes = settings.webhookQueueBytes { queue.maxBytes = bytes }
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
            if text.hasPrefix("syslog:") {
                let url = String(text.dropFirst("syslog:".count))
                do throws(SyslogURLError) {
                    let parsed = try SyslogURL.parse(url)
                    settings.receivers.removeAll { $0.port == parsed.port && $0.transport == parsed.transport }
                    settings.receivers.append(parsed)
                } catch {
                    throw CLIFailure.input("--input syslog:\(error)")
                }
                continue
            }
            guard let colon = text.firstIndex(of: ":"), let format = LogFormat(rawValue: String(text[..<colon])),
                !text[text.index(after: colon)...].isEmpty
            else {
                throw CLIFailure.input(
                    "--input \(text): expected FORMAT:PATH, FORMAT one of "
                        + LogFormat.allCases.map(\.rawValue).joined(separator: ", ") + ", or syslog:URL")
            }
            let path = String(text[text.index(after: colon)...])
            settings.inputs.removeAll { $0.path == path }
            settings.inputs.append(LogFollower.Input(path: path, format: format))
        }
        if let silenceAfter { settings.silenceAfter = silenceAfter }
        if let checkEvery { settings.checkEvery = checkEvery }
        if let commitEvery { settings.commitEvery = commitEvery }
        guard !settings.inputs.isEmpty || !settings.receivers.isEmpty else {
            throw CLIFailure.input("no input to monitor: name one with --input FORMAT:PATH or in --config")
        }
        if settings.inputs.filter({ $0.path == "-" }).count > 1 {
            throw CLIFailure.input("standard input (-) can be read only once")
        }
        return settings
    }
}
