import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One input of the monitor: a file path (or `-`, standard input) and its log format.
public struct MonitorInput: Hashable, Sendable {
    public var path: String
    public var format: LogFormat

    public init(path: String, format: LogFormat) {
        self.path = path
        self.format = format
    }
}

/// The `monitor --config` file: one setting per line, `#` starts a comment.
///
///     input netfilter /var/log/kern.log
///     input sshd /var/log/auth.log
///     input suricata -
///     input syslog udp://127.0.0.1:5514
///     input syslog tcp://0.0.0.0:6514
///     receiver-max-connections 64
///     receiver-max-message 65536
///     silence-after 3600
///     check-every 60
///     commit-every 10000
///     syslog udp://10.20.9.1:514
///     webhook http://10.20.9.1:8080/portwarden
///     webhook-timeout 5
///     webhook-queue 1000
///     webhook-queue-bytes 16777216
///     webhook-queue-file /var/lib/portwarden/webhook-queue
///     webhook-ca /etc/portwarden/webhook-ca.pem
///     webhook-attempts 5
///     scan-distinct-targets 20
///     scan-window 60
///     repeated-denies 10
///     deny-window 300
///     incident-window 600
///     auth-failures 5
///     auth-window 600
///     throttle 3600
///     max-tracked-sources 50000
///
/// `input FORMAT PATH` may repeat (`-` is standard input, at most once); `input syslog URL` is a syslog
/// receiver (UDP or TCP, `docs/monitoring.md`), with `receiver-max-connections` TCP connections open at once
/// and messages of at most `receiver-max-message` bytes. The numbers are seconds, and lines for
/// `commit-every`, alerts for `webhook-queue`, bytes of alert bodies for `webhook-queue-bytes` and attempts per
/// alert for `webhook-attempts`; `webhook-queue-file` is the on-disk queue's path and `webhook-ca` the CA
/// bundle of an https webhook (`docs/monitoring.md`). The correlator's thresholds and windows
/// (`scan-distinct-targets` … `max-tracked-sources`) set ``CorrelatorSettings``'s fields of the same names; what is not set keeps its default. A bad line is a
/// located error (`FILE:LINE:COLUMN`, the column in bytes), a bad syslog or webhook URL at the part of it
/// that is wrong. Lines may end in LF or CR LF. The CLI reads the file.
public struct MonitorConfig: Hashable, Sendable {
    public var inputs: [MonitorInput] = []
    /// Syslog receivers (`input syslog URL`), in the file's order.
    public var receivers: [SyslogURL] = []
    /// TCP connections a receiver keeps open at once.
    public var receiverMaxConnections: Int?
    /// The largest syslog message a receiver takes, in bytes.
    public var receiverMaxMessage: Int?
    public var silenceAfter: TimeInterval?
    public var checkEvery: TimeInterval?
    public var commitEvery: Int64?
    /// Where alerts are also sent (`udp://ADDRESS:PORT`, `tcp://ADDRESS:PORT`).
    public var syslog: SyslogURL?
    /// Where alerts are also posted as JSON.
    public var webhook: WebhookURL?
    /// The limit of each webhook attempt (connect, send, answer), in seconds.
    public var webhookTimeout: TimeInterval?
    /// Alerts the webhook queue holds at most.
    public var webhookQueue: Int?
    /// Bytes of alert bodies the webhook queue holds at most.
    public var webhookQueueBytes: Int?
    /// The on-disk webhook queue's path.
    public var webhookQueueFile: String?
    /// The CA certificates (PEM) an https webhook's certificate is verified against instead of the
    /// system's trust store.
    public var webhookCA: String?
    /// Attempts per alert, the first included.
    public var webhookAttempts: Int?
    /// The correlator's thresholds and windows as the file sets them, defaults elsewhere; the silence
    /// limit is `silenceAfter` (a flag may override it), applied by ``correlatorSettings``.
    public var correlator = CorrelatorSettings()

    public init() {}

    /// The settings the correlator runs with: the file's thresholds and windows, and `silenceAfter`.
    public var correlatorSettings: CorrelatorSettings {
        var settings = correlator
        if let silenceAfter { settings.silenceAfter = silenceAfter }
        return settings
    }

    /// Parses the text of a configuration file named `file` (for the error locations).
    /// - Throws: a `Diagnostic` for the first bad line.
    public static func parse(_ text: String, file: String) throws(Diagnostic) -> MonitorConfig {
        var config = MonitorConfig()
        // Lines split on LF bytes: a Character split would keep "\r\n" (one Character) inside a line.
        for (index, bytes) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated()
        {
            var raw = Substring(bytes)
            if raw.utf8.last == UInt8(ascii: "\r") { raw = Substring(raw.utf8.dropLast()) }
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let key = words.first else { continue }
            func fail(_ word: Substring?, _ message: String) -> Diagnostic {
                let column = word.map { raw.utf8.distance(from: raw.startIndex, to: $0.startIndex) + 1 } ?? 1
                return Diagnostic(file: file, line: index + 1, column: column, message: message)
            }
            func syslogURL(_ word: Substring, _ what: String) throws(Diagnostic) -> SyslogURL {
                do throws(SyslogURLError) {
                    return try SyslogURL.parse(String(word))
                } catch {
                    let column = raw.utf8.distance(from: raw.startIndex, to: word.startIndex) + error.offset + 1
                    throw Diagnostic(file: file, line: index + 1, column: column, message: "\(what) \(error)")
                }
            }
            func number(_ name: String) throws(Diagnostic) -> Double {
                guard words.count == 2, let value = Double(words[1]), value > 0, value < 1e12 else {
                    throw fail(words.count > 1 ? words[1] : key, "\(name) takes one positive number")
                }
                return value
            }
            func count(_ name: String, min: Int = 1, max: Int) throws(Diagnostic) -> Int {
                guard words.count == 2, let value = Int(words[1]), value >= min, value <= max else {
                    throw fail(words.count > 1 ? words[1] : key, "\(name) takes one whole number from \(min) to \(max)")
                }
                return value
            }
            switch key {
            case "input":
                guard words.count == 3 else { throw fail(key, "input takes a format and a path: input netfilter FILE") }
                if words[1] == "syslog" {
                    let url = try syslogURL(words[2], "input syslog")
                    if config.receivers.contains(where: { $0.port == url.port && $0.transport == url.transport }) {
                        throw fail(words[2], "\(url.transport.rawValue) port \(url.port) is already a syslog input")
                    }
                    config.receivers.append(url)
                    continue
                }
                guard let format = LogFormat(rawValue: String(words[1])) else {
                    throw fail(
                        words[1],
                        "unknown format \"\(words[1])\" ("
                            + (LogFormat.allCases.map(\.rawValue) + ["syslog"]).joined(separator: ", ") + ")"
                    )
                }
                let input = MonitorInput(path: String(words[2]), format: format)
                if config.inputs.contains(where: { $0.path == input.path }) {
                    throw fail(words[2], "\(input.path) is already an input")
                }
                config.inputs.append(input)
            case "silence-after": config.silenceAfter = try number("silence-after")
            case "check-every": config.checkEvery = try number("check-every")
            case "commit-every": config.commitEvery = Int64(try number("commit-every"))
            case "syslog":
                guard words.count == 2 else { throw fail(key, "syslog takes one URL: syslog udp://ADDRESS:PORT") }
                config.syslog = try syslogURL(words[1], "syslog")
            case "webhook":
                guard words.count == 2 else {
                    throw fail(key, "webhook takes one URL: webhook http://ADDRESS:PORT/PATH")
                }
                config.webhook = try webhookURL(words[1], in: raw, file: file, line: index + 1)
            case "webhook-timeout": config.webhookTimeout = try number("webhook-timeout")
            case "webhook-queue": config.webhookQueue = try count("webhook-queue", max: 1_000_000)
            case "webhook-queue-bytes":
                config.webhookQueueBytes = try count("webhook-queue-bytes", min: 4096, max: 1 << 30)
            case "webhook-ca":
                guard words.count == 2 else {
                    throw fail(key, "webhook-ca takes one path: webhook-ca /etc/portwarden/webhook-ca.pem")
                }
                config.webhookCA = String(words[1])
            case "webhook-queue-file":
                guard words.count == 2 else {
                    throw fail(
                        key, "webhook-queue-file takes one path: webhook-queue-file /var/lib/portwarden/webhook-queue")
                }
                config.webhookQueueFile = String(words[1])
            case "webhook-attempts": config.webhookAttempts = try count("webhook-attempts", max: 100)
            case "receiver-max-connections":
                config.receiverMaxConnections = try count("receiver-max-connections", max: 10_000)
            case "receiver-max-message":
                config.receiverMaxMessage = try count("receiver-max-message", min: 480, max: 16 << 20)
            // The scan rule looks at a source's newest 256 events in its window: a larger threshold
            // could never be met.
            case "scan-distinct-targets":
                config.correlator.scanDistinctTargets = try count(String(key), min: 2, max: 256)
            case "scan-window": config.correlator.scanWindow = try number("scan-window")
            case "repeated-denies": config.correlator.repeatedDenies = try count(String(key), max: 1_000_000)
            case "deny-window": config.correlator.denyWindow = try number("deny-window")
            case "incident-window": config.correlator.incidentWindow = try number("incident-window")
            case "auth-failures": config.correlator.authFailures = try count(String(key), max: 1_000_000)
            case "auth-window": config.correlator.authWindow = try number("auth-window")
            case "throttle": config.correlator.throttle = try number("throttle")
            case "max-tracked-sources":
                config.correlator.maxTrackedSources = try count(String(key), min: 100, max: 10_000_000)
            default:
                throw fail(
                    key,
                    "unknown setting \"\(key)\" (input, silence-after, check-every, commit-every, syslog, webhook, "
                        + "webhook-timeout, webhook-queue, webhook-queue-bytes, webhook-queue-file, webhook-ca, "
                        + "webhook-attempts, "
                        + "receiver-max-connections, "
                        + "receiver-max-message, scan-distinct-targets, scan-window, repeated-denies, deny-window, "
                        + "incident-window, auth-failures, auth-window, throttle, max-tracked-sources)")
            }
        }
        return config
    }

    /// The `webhook` URL `word` of line `raw`; a bad one is reported at the byte of it that is wrong.
    private static func webhookURL(
        _ word: Substring, in raw: Substring, file: String, line: Int
    ) throws(Diagnostic) -> WebhookURL {
        do throws(WebhookURLError) {
            return try WebhookURL.parse(String(word))
        } catch {
            let column = raw.utf8.distance(from: raw.startIndex, to: word.startIndex) + error.offset + 1
            throw Diagnostic(file: file, line: line, column: column, message: error.description)
        }
    }
}
