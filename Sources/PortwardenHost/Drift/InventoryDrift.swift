import PortwardenCore

/// Per-port differences between two inventories.
///
/// Ports are matched on ``PortKey`` (namespace, transport, port, family). The owner is the
/// executable path with its unit and container, never the pid, so a restart is not a change; and
/// when either side does not know the owners (not root), no owner change is claimed.
public enum InventoryDrift {
    /// The changes from `previous` to `current`, sorted by port.
    public static func compare(previous: [Listener], current: [Listener]) -> [DriftChange] {
        compare(previous: ports(of: previous), current: ports(of: current))
    }

    /// The changes between two snapshots read from files.
    public static func compare(previous: ListenerSnapshot, current: ListenerSnapshot) -> [DriftChange] {
        compare(previous: previous.listeners, current: current.listeners)
    }

    /// The changes between two sets of port views.
    public static func compare(previous: [PortView], current: [PortView]) -> [DriftChange] {
        let before = Dictionary(previous.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(current.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [DriftChange] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            changes += compare(key: key, before: before[key], after: after[key])
        }
        return changes
    }

    /// The changes of one port (none, one, or scope and owner both).
    public static func compare(key: PortKey, before: PortView?, after: PortView?) -> [DriftChange] {
        switch (before, after) {
        case (nil, nil): return []
        case (nil, .some): return [DriftChange(kind: .opened, port: key, before: nil, after: after)]
        case (.some, nil): return [DriftChange(kind: .closed, port: key, before: before, after: nil)]
        case (let old?, let new?):
            var changes: [DriftChange] = []
            if old.bindings != new.bindings {
                changes.append(DriftChange(kind: .scopeChanged, port: key, before: old, after: new))
            }
            if !old.owners.isEmpty, !new.owners.isEmpty, old.owners != new.owners {
                changes.append(DriftChange(kind: .ownerChanged, port: key, before: old, after: new))
            }
            return changes
        }
    }

    /// The listeners grouped by port, pids dropped.
    public static func ports(of listeners: [Listener]) -> [PortView] {
        var grouped: [PortKey: (Set<PortBinding>, Set<OwnerIdentity>)] = [:]
        for listener in listeners {
            let key = PortKey(listener)
            var entry = grouped[key] ?? ([], [])
            entry.0.insert(PortBinding(scope: listener.bind, address: listener.address))
            for owner in listener.owners { entry.1.insert(owner.ownerIdentity) }
            grouped[key] = entry
        }
        return grouped.keys.sorted().map { key in
            let entry = grouped[key] ?? ([], [])
            return PortView(key: key, bindings: entry.0.sorted(), owners: entry.1.sorted())
        }
    }
}
