import Foundation
import PortwardenCore
import PortwardenMonitor

#if canImport(Glibc)
import Glibc
#endif

/// Posts alerts as JSON to one HTTP or HTTPS receiver (`WebhookTLSClient`) from a thread of its own, so that
/// ingestion never waits on it: `send` only queues (`WebhookQueue`: bounded, oldest dropped when full, retries with doubling back-off),
/// every attempt is bounded by `timeout` (connect, send, the status line), and what became of the alerts is
/// counted for the report at the end. A failing receiver is reported once on stderr while the stream goes on.
/// With a queue file (`WebhookQueueFile`) every alert queued and every alert that leaves the queue is a
/// record appended before `send` returns or the next attempt starts, so that a restart resumes with the
/// alerts not yet delivered; only the one in flight when the process is killed can be posted twice.
final class WebhookSink: @unchecked Sendable {
    // @unchecked: `queue`, `file`, `stopping`, `drainUntil` and `warned` are read and written only with
    // `condition` locked; every other stored property is immutable.
    let url: WebhookURL
    let timeout: Double
    /// The queue file's path, `nil` for a queue in memory only.
    let queuePath: String?
    /// With an alert's id, the `X-Portwarden-Delivery` value: the same for every attempt of one alert.
    private let queueID: UInt64
    private var file: WebhookQueueFile?
    /// The TLS client of an https URL.
    private let tls: WebhookTLSClient?
    private let userAgent = "portwarden/\(PortwardenVersion.current)"
    private let condition = NSCondition()
    private var queue: WebhookQueue
    private var stopping = false
    /// When `finish` stops waiting for the queue to empty; `nil` until it is called.
    private var drainUntil: Date?
    private var warned = false
    private let done = DispatchSemaphore(value: 0)
    private let capacity: Int

    /// Starts the sending thread.
    /// - Parameters:
    ///   - timeout: the limit of each attempt's connect, send and wait for the answer, and how long `finish`
    ///     waits for the queue to empty.
    ///   - tls: the TLS client, for an https URL.
    ///   - queueFile: the queue file opened and read (`openQueueFile`), or `nil` for a queue in memory only;
    ///     the alerts it holds are queued first, the oldest dropped if they exceed the limits.
    init(
        url: WebhookURL, settings: WebhookQueue.Settings = WebhookQueue.Settings(), timeout: Double = 5,
        queueFile: (WebhookQueueFile, WebhookJournal.Contents)? = nil, tls: WebhookTLSClient? = nil
    ) {
        self.url = url
        self.tls = tls
        self.timeout = timeout
        queuePath = queueFile?.0.path
        queueID = queueFile?.0.queueID ?? UInt64.random(in: 1...UInt64.max)
        file = queueFile?.0
        queue = WebhookQueue(settings: settings, firstID: queueFile?.1.nextID ?? 1)
        capacity = settings.capacity
        if let contents = queueFile?.1 {
            var dropped: [UInt8] = []
            for entry in contents.entries {
                for id in queue.restore(entry).dropped { dropped += WebhookJournal.doneRecord(id) }
            }
            if !dropped.isEmpty { persist(dropped) }
        }
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "webhook"
        thread.start()
    }

    /// Queues one alert whose finding renders as `body` (one JSON object); never waits on the receiver.
    func send(_ body: String) {
        condition.lock()
        let dropped = queue.counts.dropped
        let enqueued = queue.enqueue(body)
        var records = enqueued.dropped.flatMap(WebhookJournal.doneRecord)
        if let id = enqueued.id, body.utf8.count <= WebhookJournal.maxBody {
            records = WebhookJournal.alertRecord(WebhookQueue.Entry(id: id, body: body)) + records
        }
        persist(records)
        let full = queue.counts.dropped > dropped
        condition.signal()
        condition.unlock()
        if full { warnOnce("the queue is full (\(capacity) alerts or its byte limit): the oldest is dropped") }
    }

    /// What `finish` returns: the counts, and the alerts left in the queue file for the next start.
    struct Outcome {
        var counts: WebhookQueue.Counts
        var kept = 0
    }

    /// Gives the queued alerts up to `timeout` to be delivered, stops the thread and returns the counts.
    /// Alerts still queued then stay in the queue file for the next start, or without one count as
    /// abandoned.
    func finish() -> Outcome {
        condition.lock()
        stopping = true
        drainUntil = Date().addingTimeInterval(timeout)
        condition.signal()
        condition.unlock()
        done.wait()
        tls?.shutdown()
        condition.lock()
        defer { condition.unlock() }
        if let file {
            file.close()
            self.file = nil
            return Outcome(counts: queue.counts, kept: queue.count)
        }
        _ = queue.abandonAll()
        return Outcome(counts: queue.counts)
    }

    /// One line for stderr: what was delivered and what was not.
    static func report(_ url: WebhookURL, _ outcome: Outcome, queuePath: String? = nil) -> String {
        let counts = outcome.counts
        var text = "portwarden: webhook \(url): \(Diagnostic.counted(counts.delivered, "alert")) delivered"
        if counts.failedAttempts > 0 { text += ", \(Diagnostic.counted(counts.failedAttempts, "failed attempt"))" }
        if counts.lost > 0 {
            text +=
                "; \(counts.lost) not delivered (\(counts.refused) refused by the receiver, \(counts.dropped) dropped"
                + " from a full queue, \(counts.abandoned) out of attempts or time)"
        }
        if let queuePath, outcome.kept > 0 {
            text += "; \(Diagnostic.counted(outcome.kept, "alert")) kept in \(queuePath) for the next start"
        }
        return text
    }

    /// Opens the queue file at `path` and reports on stderr what it held: skipped records with their byte
    /// offsets, and the alerts waiting from the last run.
    static func openQueueFile(_ path: String) throws -> (WebhookQueueFile, WebhookJournal.Contents) {
        let opened = try WebhookQueueFile.open(path)
        for problem in opened.1.problems { Terminal.writeError("portwarden: webhook queue \(path): \(problem)") }
        if !opened.1.entries.isEmpty {
            Terminal.writeError(
                "portwarden: webhook queue \(path): \(Diagnostic.counted(opened.1.entries.count, "alert")) "
                    + "waiting from the last run; delivery resumes")
        }
        return opened
    }

    private func run() {
        while let entry = nextEntry() {
            let attempt = post(entry)
            condition.lock()
            if let id = queue.record(attempt, at: Date()) {
                persist(WebhookJournal.doneRecord(id))
                compactIfWorthIt()
            }
            condition.unlock()
        }
    }

    /// Appends records to the queue file; on a failure the queue goes on in memory only. `condition` is locked.
    private func persist(_ records: [UInt8]) {
        guard let file, !records.isEmpty else { return }
        do {
            try file.append(records)
        } catch {
            dropFile(error)
        }
    }

    /// Rewrites the queue file once most of it is alerts no longer waiting. `condition` is locked.
    private func compactIfWorthIt() {
        guard let file else { return }
        let live =
            WebhookJournal.headerSize + queue.bytes + queue.count * (WebhookJournal.recordHeaderSize + 9)
        guard file.size > 2 * live + (64 << 10) else { return }
        do {
            try file.compact(nextID: queue.nextID, entries: queue.waiting)
        } catch {
            dropFile(error)
        }
    }

    private func dropFile(_ error: any Error) {
        file?.close()
        file = nil
        Terminal.writeError(
            "portwarden: webhook \(url): \(error); the queue is kept in memory only from now on")
    }

    /// Waits for the next alert that is due; `nil` once stopping and the queue is empty or out of time.
    private func nextEntry() -> WebhookQueue.Entry? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let now = Date()
            if stopping && (queue.isEmpty || drainUntil.map { now >= $0 } ?? true) { return nil }
            if let entry = queue.nextEntry(at: now) { return entry }
            // No wait on Date.distantFuture: Foundation's timed wait cannot convert it and traps.
            if let wake = [queue.due, drainUntil].compactMap({ $0 }).min() {
                _ = condition.wait(until: wake)
            } else {
                condition.wait()
            }
        }
    }

    /// One attempt: connect, send the request, read the status line.
    private func post(_ entry: WebhookQueue.Entry) -> WebhookQueue.Attempt {
        let delivery = WebhookRequest.deliveryID(queueID: queueID, alert: entry.id)
        let request = WebhookRequest.bytes(url, body: entry.body, userAgent: userAgent, delivery: delivery)
        if let tls {
            switch tls.post(url, request, timeout: timeout) {
            case .response(let response): return judge(response)
            case .failure(let reason): return failed(reason)
            }
        }
        let fd = PeerSocket.connect(url.address, port: url.port, stream: true, timeout: timeout)
        guard fd >= 0 else { return failed("cannot connect (\(PeerSocket.lastError))") }
        defer { close(fd) }
        guard PeerSocket.sendAll(fd, request) else {
            return failed("cannot send (\(PeerSocket.lastError))")
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                return failed(
                    count == 0 ? "the receiver closed without an answer" : "no answer (\(PeerSocket.lastError))")
            }
            answer += buffer[0..<count]
            do {
                guard let response = try WebhookResponse.parse(answer) else { continue }
                return judge(response)
            } catch {
                return failed("\(error)")
            }
        }
    }

    /// What the receiver's status means for the alert.
    private func judge(_ response: WebhookResponse) -> WebhookQueue.Attempt {
        switch response.outcome {
        case .delivered: return .delivered
        case .refused:
            warnOnce("the receiver refused an alert with HTTP \(response.status); it is not sent again")
            return .refused
        case .retry: return failed("HTTP \(response.status)")
        }
    }

    private func failed(_ reason: String) -> WebhookQueue.Attempt {
        warnOnce("\(reason); retrying with back-off, alerts go on")
        return .failed
    }

    private func warnOnce(_ message: String) {
        condition.lock()
        let first = !warned
        warned = true
        condition.unlock()
        if first { Terminal.writeError("portwarden: webhook \(url): \(message)") }
    }
}
