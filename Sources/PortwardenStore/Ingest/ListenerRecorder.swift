import PortwardenCore

/// Folds a host listener inventory into `listener_intervals`: one row per listener identity
/// (host, namespace, transport, port, bind scope, bind address) and owner, from first to last seen. A
/// listener that disappears, or whose owner changes, ends its row; a restart under the same owner does not.
struct ListenerRecorder {
    let writer: StoreWriter
    let time: Int64

    private struct Identity: Hashable {
        var host: [UInt8]
        var namespace: String
        var transport: String
        var port: Int64
        var bind: String
        var bindAddress: String?
    }

    private struct Owner: Hashable {
        var process: String?
        var unit: String?
        var container: String?
        var user: String?
    }

    /// Records the snapshot; returns how many rows were inserted or ended.
    func record(_ observations: [Observation]) throws -> Int {
        var snapshot: [Identity: Owner] = [:]
        var hosts: Set<[UInt8]> = []
        for observation in observations where observation.state == .open {
            let identity = Identity(
                host: HostKey.bytes(observation.host), namespace: observation.namespace ?? "",
                transport: observation.transport.rawValue, port: Int64(observation.port),
                bind: observation.bind?.rawValue ?? "unknown", bindAddress: observation.bindAddress?.description)
            snapshot[identity] = Owner(
                process: observation.process, unit: observation.unit, container: observation.container,
                user: observation.user)
            hosts.insert(identity.host)
        }
        for observation in observations { hosts.insert(HostKey.bytes(observation.host)) }
        var changed = 0
        var seen: Set<Identity> = []
        let table = StoreSchema.listenerIntervals
        for host in hosts.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            for var row in try writer.rows(table, where: "host = ? AND ended IS NULL", [.blob(host)]) {
                guard row.count == 14 else { continue }
                let identity = Identity(
                    host: host, namespace: row[2].text ?? "", transport: row[3].text ?? "", port: row[4].integer ?? 0,
                    bind: row[5].text ?? "", bindAddress: row[6].text)
                let owner = Owner(process: row[7].text, unit: row[8].text, container: row[9].text, user: row[10].text)
                if let now = snapshot[identity], now == owner, !seen.contains(identity) {
                    row[12] = .integer(time)
                    seen.insert(identity)
                } else {
                    row[13] = .integer(time)
                    changed += 1
                }
                try writer.update(table, row)
            }
        }
        for (identity, owner) in snapshot.sorted(by: {
            ($0.key.port, $0.key.transport) < ($1.key.port, $1.key.transport)
        })
        where !seen.contains(identity) {
            try writer.insert(
                table,
                [
                    .blob(identity.host), .text(identity.namespace), .text(identity.transport), .integer(identity.port),
                    .text(identity.bind), .optional(identity.bindAddress), .optional(owner.process),
                    .optional(owner.unit), .optional(owner.container), .optional(owner.user), .integer(time),
                    .integer(time), .null,
                ])
            changed += 1
        }
        return changed
    }
}
