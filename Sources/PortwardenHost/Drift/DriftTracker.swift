import PortwardenCore

/// Debounced drift: a change is reported only when it holds in `required` of the last `window`
/// snapshots, so a port that flaps for one run, or a service caught mid-restart, makes no noise.
///
/// The first snapshot is the baseline and reports nothing. The tracker is `Codable` so that the
/// CLI can keep it in a file between runs.
public struct DriftTracker: Hashable, Sendable, Codable {
    /// How many of the last `window` snapshots must agree on a new state (k).
    public let required: Int
    /// How many snapshots are remembered (n).
    public let window: Int
    /// The confirmed state of every port, or `nil` before the first snapshot.
    public private(set) var baseline: [PortView]?
    /// The last `window` snapshots, oldest first.
    public private(set) var history: [[PortView]] = []

    /// Creates a tracker reporting changes that hold in `required` of the last `window` snapshots
    /// (2 of 3 by default); `required` is clamped to 1…`window`.
    public init(required: Int = 2, window: Int = 3) {
        self.window = max(1, window)
        self.required = min(max(1, required), self.window)
    }

    /// Adds a snapshot and returns the changes it confirms.
    public mutating func record(_ listeners: [Listener]) -> [DriftChange] {
        let ports = InventoryDrift.ports(of: listeners)
        history.append(ports)
        if history.count > window { history.removeFirst(history.count - window) }
        guard let confirmed = baseline else {
            baseline = ports
            return []
        }
        var state = Dictionary(confirmed.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let snapshots = history.map { snapshot in
            Dictionary(snapshot.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var keys = Set(state.keys)
        for snapshot in snapshots { keys.formUnion(snapshot.keys) }
        var changes: [DriftChange] = []
        for key in keys.sorted() {
            let current = state[key]
            guard let winner = settledState(of: key, in: snapshots, differingFrom: current) else { continue }
            changes += InventoryDrift.compare(key: key, before: current, after: winner)
            state[key] = winner
        }
        baseline = state.keys.sorted().compactMap { state[$0] }
        return changes
    }

    /// The state (`.some(nil)` = closed) other than `current` that holds in at least `required`
    /// remembered snapshots; the most recent such state wins.
    private func settledState(
        of key: PortKey, in snapshots: [[PortKey: PortView]], differingFrom current: PortView?
    )
        -> PortView??
    {
        var counts: [PortView?: Int] = [:]
        for snapshot in snapshots { counts[snapshot[key], default: 0] += 1 }
        for snapshot in snapshots.reversed() {
            let candidate = snapshot[key]
            if candidate != current, counts[candidate, default: 0] >= required { return .some(candidate) }
        }
        return nil
    }
}
