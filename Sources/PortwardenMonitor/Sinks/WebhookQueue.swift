#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The decisions of the webhook sink, without I/O: a bounded first-in-first-out queue of alert bodies, when
/// the next attempt is due, and what was delivered, refused, retried or lost. The oldest alert goes first
/// and is retried with doubling back-off until it is delivered, refused or out of attempts; a full queue
/// (`capacity` alerts or `maxBytes` bytes of bodies) drops its oldest alert to make room, so that a receiver
/// that is down never holds up ingestion. Every alert has an id, increasing, that the on-disk queue
/// (`WebhookJournal`) records and the request carries, so that a receiver can tell a repeat apart.
public struct WebhookQueue: Sendable {
    public struct Settings: Hashable, Sendable {
        /// Alerts waiting at most (the newest are kept).
        public var capacity = 1000
        /// Bytes of alert bodies waiting at most (the newest are kept).
        public var maxBytes = 16 << 20
        /// Attempts per alert, the first included.
        public var attempts = 5
        /// The wait after the first failed attempt; it doubles with every further one, up to `maxBackoff`.
        public var firstBackoff: TimeInterval = 0.5
        public var maxBackoff: TimeInterval = 30

        public init() {}
    }

    /// One queued alert: its id and the finding's JSON object.
    public struct Entry: Hashable, Sendable {
        public var id: UInt64
        public var body: String

        public init(id: UInt64, body: String) {
            self.id = id
            self.body = body
        }
    }

    /// What one `enqueue` did: the id the alert got (`nil` when it alone is larger than `maxBytes` and was
    /// dropped at once) and the ids of the older alerts dropped to make room.
    public struct Enqueued: Hashable, Sendable {
        public var id: UInt64?
        public var dropped: [UInt64]

        public init(id: UInt64?, dropped: [UInt64]) {
            self.id = id
            self.dropped = dropped
        }
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
    private var entries: [Entry] = []
    private var head = 0
    /// Bytes of the bodies from `head` on.
    public private(set) var bytes = 0
    /// The id the next alert gets.
    public private(set) var nextID: UInt64
    /// Attempts made on the oldest alert.
    private var headAttempts = 0
    /// When the oldest alert may be tried again.
    private var notBefore: Date?

    /// - Parameter firstID: the id of the first alert enqueued (an on-disk queue goes on after its last).
    public init(settings: Settings = Settings(), firstID: UInt64 = 1) {
        self.settings = settings
        nextID = firstID
    }

    public var count: Int { entries.count - head }
    public var isEmpty: Bool { count == 0 }

    /// The alerts waiting, oldest first.
    public var waiting: ArraySlice<Entry> { entries[head...] }

    /// Adds an alert body; drops the oldest when the queue is full.
    @discardableResult
    public mutating func enqueue(_ body: String) -> Enqueued {
        let id = nextID
        nextID += 1
        return add(Entry(id: id, body: body))
    }

    /// Adds an alert read back from an on-disk queue, keeping its id (ids after it go on from there); drops
    /// the oldest when the queue is full, as `enqueue` does.
    @discardableResult
    public mutating func restore(_ entry: Entry) -> Enqueued {
        nextID = max(nextID, entry.id &+ 1)
        return add(entry)
    }

    private mutating func add(_ entry: Entry) -> Enqueued {
        let size = entry.body.utf8.count
        guard size <= settings.maxBytes else {
            counts.dropped += 1
            return Enqueued(id: nil, dropped: [])
        }
        var dropped: [UInt64] = []
        while !isEmpty && (count >= settings.capacity || bytes + size > settings.maxBytes) {
            dropped.append(entries[head].id)
            counts.dropped += 1
            pop()
        }
        entries.append(entry)
        bytes += size
        return Enqueued(id: entry.id, dropped: dropped)
    }

    /// The alert to try now, or `nil` when the queue is empty or the oldest alert waits out its back-off.
    public func next(at now: Date) -> String? { nextEntry(at: now)?.body }

    /// The alert to try now with its id, as `next(at:)`.
    public func nextEntry(at now: Date) -> Entry? {
        guard head < entries.count else { return nil }
        if let notBefore, now < notBefore { return nil }
        return entries[head]
    }

    /// When the oldest alert is due, `nil` for an empty queue (it is due at once when it has no back-off).
    public var due: Date? { isEmpty ? nil : notBefore ?? .distantPast }

    /// Records the outcome of an attempt on the alert `next(at:)` returned.
    /// - Returns: the id of the alert when it leaves the queue (delivered, refused, out of attempts).
    @discardableResult
    public mutating func record(_ attempt: Attempt, at now: Date) -> UInt64? {
        guard head < entries.count else { return nil }
        let id = entries[head].id
        switch attempt {
        case .delivered:
            counts.delivered += 1
        case .refused:
            counts.refused += 1
        case .failed:
            counts.failedAttempts += 1
            headAttempts += 1
            guard headAttempts >= settings.attempts else {
                notBefore = now.addingTimeInterval(backoff(afterFailures: headAttempts))
                return nil
            }
            counts.abandoned += 1
        }
        pop()
        return id
    }

    /// Gives up on everything still queued (the process ends); returns how many alerts that was.
    public mutating func abandonAll() -> Int {
        let left = count
        counts.abandoned += left
        entries = []
        head = 0
        bytes = 0
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
        bytes -= entries[head].body.utf8.count
        head += 1
        headAttempts = 0
        notBefore = nil
        // Drops the consumed front once it is as long as what is left.
        if head > 64, head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
