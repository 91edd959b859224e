import Foundation
import PortwardenCore
import PortwardenMonitor

#if canImport(Glibc)
import Glibc
#endif

/// Posts alerts as JSON to one HTTP receiver from a thread of its own, so that ingestion never waits on it:
/// `send` only queues (`WebhookQueue`: bounded, oldest dropped when full, retries with doubling back-off),
/// every attempt is bounded by `timeout` (connect, send, the status line), and what became of the alerts is
/// counted for the report at the end. A failing receiver is reported once on stderr while the stream goes on.
final class WebhookSink: @unchecked Sendable {
    // @unchecked: `queue`, `stopping`, `drainUntil` and `warned` are read and written only with `condition`
    // locked; every other stored property is immutable.
    let url: WebhookURL
    let timeout: Double
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
    init(url: WebhookURL, settings: WebhookQueue.Settings = WebhookQueue.Settings(), timeout: Double = 5) {
        self.url = url
        self.timeout = timeout
        queue = WebhookQueue(settings: settings)
        capacity = settings.capacity
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
        queue.enqueue(body)
        let full = queue.counts.dropped > dropped
        condition.signal()
        condition.unlock()
        if full { warnOnce("the queue is full (\(capacity) alerts): the oldest is dropped") }
    }

    /// Gives the queued alerts up to `timeout` to be delivered, stops the thread and returns the counts
    /// (alerts still queued then count as abandoned).
    func finish() -> WebhookQueue.Counts {
        condition.lock()
        stopping = true
        drainUntil = Date().addingTimeInterval(timeout)
        condition.signal()
        condition.unlock()
        done.wait()
        condition.lock()
        defer { condition.unlock() }
        _ = queue.abandonAll()
        return queue.counts
    }

    /// One line for stderr: what was delivered and what was not.
    static func report(_ url: WebhookURL, _ counts: WebhookQueue.Counts) -> String {
        var text = "portwarden: webhook \(url): \(Diagnostic.counted(counts.delivered, "alert")) delivered"
        if counts.failedAttempts > 0 { text += ", \(Diagnostic.counted(counts.failedAttempts, "failed attempt"))" }
        if counts.lost > 0 {
            text +=
                "; \(counts.lost) not delivered (\(counts.refused) refused by the receiver, \(counts.dropped) dropped"
                + " from a full queue, \(counts.abandoned) out of attempts or time)"
        }
        return text
    }

    private func run() {
        while let body = nextBody() {
            let attempt = post(body)
            condition.lock()
            queue.record(attempt, at: Date())
            condition.unlock()
        }
    }

    /// Waits for the next alert that is due; `nil` once stopping and the queue is empty or out of time.
    private func nextBody() -> String? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let now = Date()
            if stopping && (queue.isEmpty || drainUntil.map { now >= $0 } ?? true) { return nil }
            if let body = queue.next(at: now) { return body }
            // No wait on Date.distantFuture: Foundation's timed wait cannot convert it and traps.
            if let wake = [queue.due, drainUntil].compactMap({ $0 }).min() {
                _ = condition.wait(until: wake)
            } else {
                condition.wait()
            }
        }
    }

    /// One attempt: connect, send the request, read the status line.
    private func post(_ body: String) -> WebhookQueue.Attempt {
        let fd = PeerSocket.connect(url.address, port: url.port, stream: true, timeout: timeout)
        guard fd >= 0 else { return failed("cannot connect (\(PeerSocket.lastError))") }
        defer { close(fd) }
        guard PeerSocket.sendAll(fd, WebhookRequest.bytes(url, body: body, userAgent: userAgent)) else {
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
                switch response.outcome {
                case .delivered: return .delivered
                case .refused:
                    warnOnce("the receiver refused an alert with HTTP \(response.status); it is not sent again")
                    return .refused
                case .retry: return failed("HTTP \(response.status)")
                }
            } catch {
                return failed("\(error)")
            }
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
