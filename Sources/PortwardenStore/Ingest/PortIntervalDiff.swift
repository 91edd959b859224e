import PortwardenCore

/// The interval changes one scan makes to one (host, transport, vantage): which current rows are extended,
/// shrunk or ended and which rows are new. Pure: no I/O, so that the rules are tested without a database.
///
/// Storage grows with changes, not probes: a port seen again in the same state only moves its row's
/// `last_seen`; closed and filtered ports share one row per run.
struct PortIntervalDiff {
    /// Rows to write back with new values (same id).
    var updates: [PortInterval] = []
    /// New rows (their `id` is assigned on insert).
    var inserts: [PortInterval] = []

    /// The new state of each covered port: an index into `keys`, or -1 for ports the scan did not cover.
    struct Scan {
        var keys: [PortStateKey] = []
        var details: [(reason: String?, source: String?)] = []
        var stateOf = [Int32](repeating: -1, count: 65536)
        var time: Int64
        var scanID: Int64

        init(time: Int64, scanID: Int64) {
            self.time = time
            self.scanID = scanID
        }

        private var plainStates: [String: Int32] = [:]

        /// Sets a port's new state. Closed and filtered ports without details share one key.
        mutating func set(_ port: UInt16, _ key: PortStateKey, reason: String?, source: String?) {
            if key.mergesIntoRanges, key.service == nil, key.product == nil, key.version == nil {
                if let index = plainStates[key.state] {
                    stateOf[Int(port)] = index
                    return
                }
                plainStates[key.state] = Int32(keys.count)
            }
            keys.append(key)
            details.append((reason, source))
            stateOf[Int(port)] = Int32(keys.count - 1)
        }

        /// Sets every port of `range` to `key` (a run of the scan's coverage; observations set afterwards
        /// override single ports with what answered).
        mutating func cover(_ range: PortRange, _ key: PortStateKey, reason: String?) {
            set(range.lower, key, reason: reason, source: nil)
            let index = stateOf[Int(range.lower)]
            guard range.upper > range.lower else { return }
            for port in Int(range.lower) + 1...Int(range.upper) { stateOf[port] = index }
        }
    }

    /// Computes the changes for `current` (the rows with no `ended`) under `scan`.
    static func compute(
        current: [PortInterval], scan: Scan, host: IPAddress, transport: Transport, vantage: String
    ) -> PortIntervalDiff {
        var diff = PortIntervalDiff()
        var claimed = [Bool](repeating: false, count: 65536)
        for row in current {
            diff.apply(row: row, scan: scan, claimed: &claimed)
        }
        diff.addNewRuns(scan: scan, claimed: claimed, host: host, transport: transport, vantage: vantage)
        return diff
    }

    private enum Fate { case same, uncovered, changed }

    private mutating func apply(row: PortInterval, scan: Scan, claimed: inout [Bool]) {
        let key = row.key
        var segments: [(fate: Fate, low: Int, high: Int)] = []
        for port in Int(row.low)...Int(row.high) {
            let index = scan.stateOf[port]
            let fate: Fate = index < 0 ? .uncovered : (scan.keys[Int(index)] == key ? .same : .changed)
            if fate == .same { claimed[port] = true }
            if let last = segments.last, last.fate == fate, last.high == port - 1 {
                segments[segments.count - 1].high = port
            } else {
                segments.append((fate, port, port))
            }
        }
        if segments.count == 1, segments[0].fate == .uncovered { return }
        // The row keeps its id for its largest continuing piece; the other pieces become new rows.
        let keep = segments.indices.filter { segments[$0].fate != .changed }
            .max { segments[$0].high - segments[$0].low < segments[$1].high - segments[$1].low }
        for (index, segment) in segments.enumerated() {
            var piece = row
            piece.low = UInt16(segment.low)
            piece.high = UInt16(segment.high)
            switch segment.fate {
            case .same:
                piece.lastSeen = scan.time
                piece.lastScan = scan.scanID
            case .uncovered:
                break
            case .changed:
                piece.ended = scan.time
            }
            if index == keep || (keep == nil && index == 0) {
                updates.append(piece)
            } else {
                inserts.append(piece)
            }
        }
    }

    private mutating func addNewRuns(
        scan: Scan, claimed: [Bool], host: IPAddress, transport: Transport, vantage: String
    ) {
        var port = 0
        while port < 65536 {
            let index = scan.stateOf[port]
            guard index >= 0, !claimed[port] else {
                port += 1
                continue
            }
            let key = scan.keys[Int(index)]
            var high = port
            if key.mergesIntoRanges {
                while high + 1 < 65536, !claimed[high + 1], scan.stateOf[high + 1] >= 0,
                    scan.keys[Int(scan.stateOf[high + 1])] == key
                {
                    high += 1
                }
            }
            let detail = scan.details[Int(index)]
            inserts.append(
                PortInterval(
                    id: 0, host: host, transport: transport, vantage: vantage, low: UInt16(port), high: UInt16(high),
                    state: key.state, service: key.service, product: key.product, version: key.version,
                    reason: detail.reason, sourceAddress: detail.source, firstSeen: scan.time, lastSeen: scan.time,
                    firstScan: scan.scanID, lastScan: scan.scanID))
            port = high + 1
        }
    }
}
