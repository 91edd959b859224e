import ArgumentParser
import PortwardenMonitor
import PortwardenStore

/// `--webhook`, `--webhook-queue-file` and `--webhook-ca`: where alerts are posted, the on-disk queue and
/// the CA to trust, shared by `ingest` and `monitor` (which also takes them from its configuration file).
struct WebhookOptions: ParsableArguments {
    @Option(
        name: .long, help: "Also post each alert as JSON to http://ADDRESS:PORT/PATH or https://… (queued, retried).")
    var webhook: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The webhook's on-disk queue (default: webhook-queue in the store's data directory; without a store "
                + "the queue is in memory only).", valueName: "path"))
    var webhookQueueFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "For an https webhook: trust only the CA certificates in this PEM file (default: the system's trust "
                + "store).", valueName: "file"))
    var webhookCa: String?

    /// The `--webhook` URL, if given; a bad one is an input error (exit 2).
    func url() throws -> WebhookURL? {
        guard let webhook else { return nil }
        do {
            return try WebhookURL.parse(webhook)
        } catch {
            throw CLIFailure.input("--\(error.description)")
        }
    }

    /// The sink posting to `url`: its queue file is `queueFile`, else `webhook-queue` in the store's data
    /// directory, else none (the queue in memory only); an https URL verifies against `ca`, else the
    /// system's trust store, and a CA file with an http URL is a usage error.
    static func sink(
        url: WebhookURL, settings: WebhookQueue.Settings, timeout: Double, queueFile: String?, ca: String?,
        store: (any EvidenceStore)?
    ) throws -> WebhookSink {
        var tls: WebhookTLSClient?
        if url.scheme == .https {
            tls = try WebhookTLSClient(caFile: ca)
        } else if let ca {
            throw CLIFailure.input("--webhook-ca \(ca): the webhook \(url) is not https")
        }
        let path = queueFile ?? store.map { $0.location.dataDirectory + "/webhook-queue" }
        return WebhookSink(
            url: url, settings: settings, timeout: timeout, queueFile: try path.map(WebhookSink.openQueueFile),
            tls: tls)
    }
}
