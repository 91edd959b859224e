#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The decisions of the webhook sink, without I/O: a bounded first-in-first-out queue of alert bodies, when
/// the next attempt is due, and what was delivered, refused, retried or lost. The oldest alert goes first
/// and is retried with doubling back-off until it is delivered, refused or out of attempts; a full queue
/// drops its oldest alert to make room, so that a receiver that is down never holds up ingestion.
public struct WebhookQueue: Sendable {
    public struct Settings: Hashable, Sendable {
        /// Alerts waiting at most (the newest are kept).
        public var capacity = 1000
        /// Attempts per alert, the first included.
        public var attempts = 5
        /// The wait after the first failed attempt; it doubles with every further one, up to `maxBackoff`.
        public var firstBackoff: TimeInterval = 0.5
        public var maxBackoff: TimeInterval = 30

        public init() {}
    }

    /// What became of the alerts handed to the queue.
    public struct Counts: Hashable, Sendable {
        public var delivered = 0
        /// The receiver answered with a status a retry would not change (4xx other than 408/429).
        public var refused = 0
        /// Dropped, oldest first, because the queue was full.
        public var dropped = 0
        /// Every attempt failed.
        public var abandoned = 0
        /// Attempts that failed (connection, timeout, 5xx), each followed by a retry or an abandon.
        public var failedAttempts = 0

        public init() {}

        /// Alerts that never reached the receiver.
        public var lost: Int { refused + dropped + abandoned }
    }

    /// The outcome of one attempt.
    public enum Attempt: Hashable, Sendable {
        case delivered
        case refused
        case failed
    }

    public let settings: Settings
    public private(set) var counts = Counts()
    private var bodies: [String] = []
    private var head = 0
    /// Attempts made on the oldest alert.
    private var headAttempts = 0
    /// When the oldest alert may be tried again.
    private var notBefore: Date?

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    public var count: Int { bodies.count - head }
    public var isEmpty: Bool { count == 0 }

    /// Adds an alert body; drops the oldest when the queue is full.
    public mutating func enqueue(_ body: String) {
        if count >= settings.capacity {
            head += 1
            headAttempts = 0
            notBefore = nil
            counts.dropped += 1
        }
        bodies.append(body)
        compact()
    }

    /// The alert to try now, or `nil` when the queue is empty or the oldest alert waits out its back-off.
    public func next(at now: Date) -> String? {
        guard head < bodies.count else { return nil }
        if let notBefore, now < notBefore { return nil }
        return bodies[head]
    }

    /// When the oldest alert is due, `nil` for an empty queue (it is due at once when it has no back-off).
    public var due: Date? { isEmpty ? nil : notBefore ?? .distantPast }

    /// Records the outcome of an attempt on the alert `next(at:)` returned.
    public mutating func record(_ attempt: Attempt, at now: Date) {
        guard head < bodies.count else { return }
        switch attempt {
        case .delivered:
            counts.delivered += 1
            pop()
        case .refused:
            counts.refused += 1
            pop()
        case .failed:
            counts.failedAttempts += 1
            headAttempts += 1
            if headAttempts >= settings.attempts {
                counts.abandoned += 1
                pop()
            } else {
                notBefore = now.addingTimeInterval(backoff(afterFailures: headAttempts))
            }
        }
    }

    /// Gives up on everything still queued (the process ends); returns how many alerts that was.
    public mutating func abandonAll() -> Int {
        let left = count
        counts.abandoned += left
        bodies = []
        head = 0
        headAttempts = 0
        notBefore = nil
        return left
    }

    /// The wait after `failures` failed attempts: `firstBackoff`, doubled per further failure, capped.
    public func backoff(afterFailures failures: Int) -> TimeInterval {
        var wait = settings.firstBackoff
        for _ in 1..<max(1, min(failures, 64)) where wait < settings.maxBackoff { wait *= 2 }
        return min(wait, settings.maxBackoff)
    }

    private mutating func pop() {
        head += 1
        headAttempts = 0
        notBefore = nil
        compact()
    }

    /// Drops the consumed front once it is as long as what is left.
    private mutating func compact() {
        if head > 64, head * 2 >= bodies.count {
            bodies.removeFirst(head)
            head = 0
        }
    }
}
