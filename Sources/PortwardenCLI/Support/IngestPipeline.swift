import PortwardenCore
import PortwardenMonitor
import PortwardenPolicy
import PortwardenReport
import PortwardenStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The judging half of `ingest` and `monitor`: events into the correlator, alerts to stdout, and, with a
/// store, alerts, usage and input offsets committed together.
final class IngestPipeline {
    private(set) var correlator: FlowCorrelator
    let store: (any EvidenceStore)?
    let output: IngestOutput
    private let renderer = FindingRenderer(color: false)
    /// The most severe alert printed.
    private(set) var worst: Severity?
    /// The time of the latest event.
    private(set) var lastEventTime: Date?
    /// Alerts emitted since the last commit, by fingerprint.
    private var pendingAlerts: [String: StoredAlert] = [:]
    private(set) var commits = 0
    /// A syslog receiver every printed alert is also sent to.
    var syslog: SyslogSink?
    /// An HTTP receiver every printed alert is also posted to.
    var webhook: WebhookSink?

    init(
        policy: Policy, store: (any EvidenceStore)?, output: IngestOutput,
        settings: CorrelatorSettings = CorrelatorSettings()
    ) {
        correlator = FlowCorrelator(policy: policy, settings: settings)
        self.store = store
        self.output = output
    }

    /// Judges with a new policy from now on (windows start afresh; what is pending is kept).
    func replacePolicy(_ policy: Policy) {
        if store != nil { collectCorrelatorState() }
        correlator = FlowCorrelator(policy: policy, settings: correlator.settings)
    }

    /// Judges one item read from `input`; problems go to stderr.
    func handle(_ item: LogReaderItem, input: String) {
        switch item {
        case .flow(let event):
            lastEventTime = max(lastEventTime ?? event.time, event.time)
            emit(correlator.observe(event, logSource: input), input: input)
        case .security(let event):
            lastEventTime = max(lastEventTime ?? event.time, event.time)
            emit(correlator.observe(event, logSource: input), input: input)
        case .problem(let problem):
            Terminal.writeError(problem.description)
        }
    }

    /// Reports the log sources silent at `now` (10.7.2).
    func tick(now: Date) { emit(correlator.tick(now: now), input: nil) }

    /// Prints alerts and keeps them for the next commit.
    func emit(_ alerts: [MonitorAlert], input: String?) {
        for raised in alerts {
            let alert = withListener(raised)
            worst = max(worst ?? alert.finding.severity, alert.finding.severity)
            let json = renderer.render([alert.finding], format: .json, context: nil)
            switch output {
            case .json: Terminal.write(json)
            case .text: Terminal.write(IngestCommand.textLine(alert))
            }
            syslog?.send(alert, body: json)
            webhook?.send(json)
            if store != nil { keep(alert, input: input) }
        }
    }

    /// Gives the webhook's queue its last chance and reports what it delivered on stderr.
    func finishSinks() {
        guard let webhook else { return }
        Terminal.writeError(WebhookSink.report(webhook.url, webhook.finish(), queuePath: webhook.queuePath))
        self.webhook = nil
    }

    /// Commits the alerts and usage since the last commit with the inputs' positions, in one transaction.
    func commit(_ offsets: [LogOffset]) throws {
        guard let store else { return }
        collectCorrelatorState()
        let batch = MonitorBatch(
            alerts: pendingAlerts.values.sorted { $0.fingerprint < $1.fingerprint }, usage: pendingUsage,
            offsets: offsets)
        guard !batch.isEmpty else { return }
        _ = try StoreFailure.run { try store.commit(batch) }
        pendingAlerts = [:]
        pendingUsage = []
        commits += 1
    }

    private var pendingUsage: [ServiceUsageRecord] = []

    /// Whether alerts wait for the next commit (a timer raised them while no line arrived).
    var hasPendingAlerts: Bool { !pendingAlerts.isEmpty }

    /// Moves throttled repeats and counted usage out of the correlator into what the next commit writes.
    private func collectCorrelatorState() {
        for alert in correlator.takeRepeats() { keep(withListener(alert), input: nil) }
        for (id, use) in correlator.takeUsage().sorted(by: { $0.key < $1.key }) {
            guard let first = use.firstSeen, let last = use.lastSeen else { continue }
            pendingUsage.append(
                ServiceUsageRecord(
                    kind: use.kind == .service ? .service : .exception, id: id, hits: Int64(use.hits),
                    firstSeen: StoreClock.micros(first), lastSeen: StoreClock.micros(last),
                    sources: use.sources.map(\.description).sorted(), moreSources: use.moreSources))
        }
    }

    /// Processes the store's host inventory last saw listening, by host, transport and port (asked once a run).
    private var listeners: [String: String?] = [:]

    /// An IDS incident names the process the host inventory saw listening on its host and port, when the store
    /// knows one (`docs/monitoring.md`).
    private func withListener(_ alert: MonitorAlert) -> MonitorAlert {
        let finding = alert.finding
        guard finding.rule == EvaluationRule.idsIncident, let store, let host = finding.host,
            let transport = finding.transport, let port = finding.port
        else { return alert }
        let key = "\(host) \(transport.rawValue)/\(port)"
        if listeners[key] == nil {
            listeners[key] = .some((try? store.listenerProcess(host: host, transport: transport, port: port)) ?? nil)
        }
        guard let process = listeners[key] ?? nil else { return alert }
        var named = alert
        named.finding.message += " The host inventory last saw process \(process) listening there."
        return named
    }

    private func keep(_ alert: MonitorAlert, input: String?) {
        let row = StoredAlert(
            finding: alert.finding, input: input, firstSeen: alert.firstSeen, lastSeen: alert.lastSeen,
            count: alert.count)
        guard var known = pendingAlerts[row.fingerprint] else {
            pendingAlerts[row.fingerprint] = row
            return
        }
        known.count += row.count
        known.lastSeen = max(known.lastSeen, row.lastSeen)
        known.firstSeen = min(known.firstSeen, row.firstSeen)
        known.input = row.input ?? known.input
        pendingAlerts[row.fingerprint] = known
    }
}
