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
/// source writes thousands of events inside the window.
struct SlidingWindow<Key: Hashable & Sendable, Item: Sendable>: Sendable {
    let window: TimeInterval
    let maxKeys: Int
    /// More than any threshold of the correlator (scan targets, denies, failures) needs.
    let maxItemsPerKey = 256
    private var entries: [Key: [(time: Date, item: Item)]] = [:]
    private var touched: [Key: Date] = [:]

    init(window: TimeInterval, maxKeys: Int) {
        self.window = window
        self.maxKeys = maxKeys
    }

    /// Adds `item` for `key` and returns what the key holds inside the window, oldest first.
    mutating func add(_ item: Item, for key: Key, at time: Date) -> [(time: Date, item: Item)] {
        // Taken out of the dictionary so that the list is uniquely referenced and changes in place.
        var list = entries.removeValue(forKey: key) ?? []
        list.removeAll { time.timeIntervalSince($0.time) > window }
        list.append((time, item))
        if list.count > maxItemsPerKey { list.removeFirst(list.count - maxItemsPerKey) }
        entries[key] = list
        touched[key] = time
        if entries.count > maxKeys { evict(now: time) }
        return list
    }

    /// What `key` holds inside the window ending at `time`.
    func items(for key: Key, at time: Date) -> [(time: Date, item: Item)] {
        (entries[key] ?? []).filter { time.timeIntervalSince($0.time) <= window }
    }

    mutating func clear(_ key: Key) {
        entries[key] = nil
        touched[key] = nil
    }

    var keyCount: Int { entries.count }

    private mutating func evict(now: Date) {
        // Drop keys whose newest item left the window, then the least recently touched.
        for (key, last) in touched where now.timeIntervalSince(last) > window {
            entries[key] = nil
            touched[key] = nil
        }
        if entries.count > maxKeys {
            // Down to 90 % at once, so that a flood of new keys sorts rarely.
            let excess = entries.count - maxKeys * 9 / 10
            for (key, _) in touched.sorted(by: { $0.value < $1.value }).prefix(excess) {
                entries[key] = nil
                touched[key] = nil
            }
        }
    }
}
