import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Per-key lists of timestamped items that forget what is older than the window, with a cap on
/// the number of keys (the least recently touched key goes first) and on the items a key keeps (the
/// newest `maxItemsPerKey`): bounded memory and bounded work per event on any input, also when one busy
/// source writes thousands of events inside the window. Items that arrive in time order (the usual case)
/// leave from the front, so an event costs O(1) amortized however full its key is; after one arrived out
/// of order, the key's items are all checked until it is in order again. With `countsDistinct`, each key
/// also counts its distinct items as they arrive and leave (the scan rule), never by building a set.
struct SlidingWindow<Key: Hashable & Sendable, Item: Hashable & Sendable>: Sendable {
    let window: TimeInterval
    let maxKeys: Int
    let countsDistinct: Bool
    /// More than any threshold of the correlator (scan targets, denies, failures) needs.
    let maxItemsPerKey = 256

    /// What a key holds after an item was added.
    struct Added {
        /// Items inside the window.
        var count: Int
        /// Distinct items inside the window (0 without `countsDistinct`).
        var distinct: Int
    }

    private struct Entry: Sendable {
        /// Oldest first; `items[head...]` are live.
        var items: [(time: Date, item: Item)] = []
        var head = 0
        var counts: [Item: Int] = [:]
        /// When an item was last added.
        var touched: Date
        /// Whether every live item is at least as new as the one before it.
        var ordered = true

        var live: ArraySlice<(time: Date, item: Item)> { items[head...] }
    }

    private var entries: [Key: Entry] = [:]

    /// What changing one entry needs to know of the window.
    private struct Limits {
        let window: TimeInterval
        let maxItemsPerKey: Int
        let countsDistinct: Bool
    }

    init(window: TimeInterval, maxKeys: Int, countsDistinct: Bool = false) {
        self.window = window
        self.maxKeys = maxKeys
        self.countsDistinct = countsDistinct
    }

    /// Adds `item` for `key` and returns what the key then holds inside the window.
    @discardableResult
    mutating func add(_ item: Item, for key: Key, at time: Date) -> Added {
        let keys = entries.count
        // Changed in place in the dictionary's storage (one lookup; its arrays stay uniquely referenced).
        // A static function: a method of `self` would hold a copy of `entries` and make the change copy them all.
        let limits = Limits(window: window, maxItemsPerKey: maxItemsPerKey, countsDistinct: countsDistinct)
        let added = Self.insert(item, at: time, into: &entries[key, default: Entry(touched: time)], limits)
        if entries.count > keys, entries.count > maxKeys { evict(now: time) }
        return added
    }

    private static func insert(_ item: Item, at time: Date, into entry: inout Entry, _ limits: Limits) -> Added {
        expire(&entry, at: time, limits)
        if let newest = entry.live.last, time < newest.time { entry.ordered = false }
        entry.items.append((time, item))
        if limits.countsDistinct { entry.counts[item, default: 0] += 1 }
        while entry.items.count - entry.head > limits.maxItemsPerKey { forgetOldest(&entry, limits) }
        if entry.head > 64, entry.head * 2 >= entry.items.count {
            entry.items.removeFirst(entry.head)
            entry.head = 0
        }
        entry.touched = time
        return Added(count: entry.items.count - entry.head, distinct: entry.counts.count)
    }

    /// What `key` holds inside the window ending at `time`, oldest first.
    func items(for key: Key, at time: Date) -> [(time: Date, item: Item)] {
        // An empty window (no security events in a firewall log) is not hashed into.
        guard !entries.isEmpty, let entry = entries[key] else { return [] }
        return entry.live.filter { time.timeIntervalSince($0.time) <= window }
    }

    /// What `key` holds inside the window ending at `time` and later than `after`, among the items `match`
    /// accepts: how many, the oldest one's time and the newest item. Allocates nothing.
    func summary(
        for key: Key, at time: Date, after: Date? = nil, where match: (Item) -> Bool = { _ in true }
    ) -> Summary? {
        guard !entries.isEmpty, let entry = entries[key] else { return nil }
        var result: Summary?
        for element in entry.live
        where time.timeIntervalSince(element.time) <= window && after.map({ element.time > $0 }) ?? true
            && match(element.item)
        {
            guard var known = result else {
                result = Summary(count: 1, oldest: element.time, newest: element)
                continue
            }
            known.count += 1
            if element.time < known.oldest { known.oldest = element.time }
            if element.time >= known.newest.time { known.newest = element }
            result = known
        }
        return result
    }

    /// The newest item `key` holds inside the window ending at `time`.
    func newest(for key: Key, at time: Date) -> (time: Date, item: Item)? {
        guard !entries.isEmpty, let entry = entries[key] else { return nil }
        if entry.ordered, let last = entry.live.last { return time.timeIntervalSince(last.time) <= window ? last : nil }
        return entry.live.filter { time.timeIntervalSince($0.time) <= window }.max { $0.time < $1.time }
    }

    /// Items of one key that `summary` counted.
    struct Summary {
        var count: Int
        var oldest: Date
        var newest: (time: Date, item: Item)
    }

    mutating func clear(_ key: Key) { entries[key] = nil }

    var keyCount: Int { entries.count }

    /// Drops the items older than the window at `time`: from the front while the key is in order, else all.
    private static func expire(_ entry: inout Entry, at time: Date, _ limits: Limits) {
        guard entry.ordered else {
            var kept: [(time: Date, item: Item)] = []
            kept.reserveCapacity(entry.items.count - entry.head)
            for element in entry.live {
                if time.timeIntervalSince(element.time) > limits.window {
                    forgetCount(element.item, &entry, limits)
                } else {
                    kept.append(element)
                }
            }
            entry.ordered = zip(kept, kept.dropFirst()).allSatisfy { $0.time <= $1.time }
            entry.items = kept
            entry.head = 0
            return
        }
        while entry.head < entry.items.count, time.timeIntervalSince(entry.items[entry.head].time) > limits.window {
            forgetOldest(&entry, limits)
        }
    }

    private static func forgetOldest(_ entry: inout Entry, _ limits: Limits) {
        forgetCount(entry.items[entry.head].item, &entry, limits)
        entry.head += 1
    }

    private static func forgetCount(_ item: Item, _ entry: inout Entry, _ limits: Limits) {
        guard limits.countsDistinct else { return }
        if let count = entry.counts[item], count > 1 {
            entry.counts[item] = count - 1
        } else {
            entry.counts[item] = nil
        }
    }

    private mutating func evict(now: Date) {
        // Drop keys whose newest item left the window, then the least recently touched.
        for (key, entry) in entries where now.timeIntervalSince(entry.touched) > window { entries[key] = nil }
        if entries.count > maxKeys {
            // Down to 90 % at once, so that a flood of new keys sorts rarely.
            let excess = entries.count - maxKeys * 9 / 10
            for (key, _) in entries.sorted(by: { $0.value.touched < $1.value.touched }).prefix(excess) {
                entries[key] = nil
            }
        }
    }
}
