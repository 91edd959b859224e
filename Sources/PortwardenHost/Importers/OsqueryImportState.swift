import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The running state of an osquery import: the listeners each query reported for each host, and
/// the run being applied. Baselines (`counter` 0, snapshots) are per query and per host: another
/// query's first run, or the same query's on another host, leaves these listeners alone.
struct ImportState {
    /// One query on one host.
    struct RunKey: Hashable {
        var host: String
        var query: String
    }

    /// The run whose rows are being applied, compared as a whole with the state before it.
    struct Run {
        var key: RunKey
        var counter: Int64?
        var time: Int64?
        var before: [Listener]
        var baseline: Bool
    }

    let importer: OsqueryListenerImporter
    let file: String
    var state: [RunKey: [ImportedListener]] = [:]
    var changes: [String: [DriftChange]] = [:]
    var problems: [Diagnostic] = []
    var skippedEphemeral = 0
    /// Rows of queries other than `listening_ports` (no `port` column), by query name.
    var otherQueryRows: [String: Int] = [:]
    /// Rows that were `listening_ports` rows (read or reported).
    var listeningRows = 0
    var pending: Run?

    init(importer: OsqueryListenerImporter, file: String) {
        self.importer = importer
        self.file = file
    }

    mutating func problem(_ line: Int, _ message: String) {
        problems.append(Diagnostic.inventory(.malformedLine, file: file, line: line, message: message))
    }

    /// Applies one line: a snapshot replaces its query's state; added/removed rows change it.
    mutating func apply(_ line: OsqueryLine, line number: Int) {
        let key = RunKey(host: line.host, query: line.name ?? "")
        if let rows = line.snapshot {
            guard countsAsListening(rows, query: key.query) else { return }
            flush()
            let before = state[key]
            state[key] = listeners(rows, line: number, time: line.time)
            if let before, line.counter != 0 {
                record(key.host, previous: before.map(\.listener), current: current(key))
            }
            return
        }
        var added = line.added ?? []
        var removed = line.removed ?? []
        if let columns = line.columns {
            switch line.action {
            case "added": added.append(columns)
            case "removed": removed.append(columns)
            default:
                problem(number, "action \"\(line.action ?? "none")\" is not added, removed or snapshot; skipped")
                return
            }
        } else if line.added == nil, line.removed == nil {
            problem(number, "no columns, diffResults or snapshot; skipped")
            return
        }
        guard countsAsListening(added + removed, query: key.query) else { return }
        startRun(line, key: key)
        var rows = state[key] ?? []
        for row in listeners(removed, line: number, time: line.time) {
            if let index = rows.firstIndex(where: { $0.listener == row.listener })
                ?? rows.firstIndex(where: { sameSocket($0.listener, row.listener) })
            {
                rows.remove(at: index)
            }
        }
        rows += listeners(added, line: number, time: line.time)
        state[key] = rows
    }

    /// Whether the rows are `listening_ports` rows; rows of other queries are counted and skipped.
    private mutating func countsAsListening(_ rows: [JSONValue], query: String) -> Bool {
        let other = rows.filter { $0["port"] == nil }.count
        guard other == 0 || other < rows.count else {
            otherQueryRows[query.isEmpty ? "unnamed" : query, default: 0] += other
            return false
        }
        listeningRows += rows.count - other
        if other > 0 { otherQueryRows[query.isEmpty ? "unnamed" : query, default: 0] += other }
        return true
    }

    /// Begins a new run unless the line belongs to the pending one (same query, host, counter, time).
    private mutating func startRun(_ line: OsqueryLine, key: RunKey) {
        if let run = pending, run.key == key, run.counter == line.counter, run.time == line.unixTime { return }
        flush()
        let baseline = line.counter == 0
        if baseline { state[key] = [] }
        pending = Run(
            key: key, counter: line.counter, time: line.unixTime, before: (state[key] ?? []).map(\.listener),
            baseline: baseline)
    }

    /// Ends the pending run, recording its changes unless it was a baseline.
    mutating func flush() {
        guard let run = pending else { return }
        pending = nil
        guard !run.baseline else { return }
        record(run.key.host, previous: run.before, current: current(run.key))
    }

    private mutating func record(_ host: String, previous: [Listener], current: [Listener]) {
        changes[host, default: []] += InventoryDrift.compare(previous: previous, current: current)
    }

    private func current(_ key: RunKey) -> [Listener] { (state[key] ?? []).map(\.listener) }

    /// Every host's listeners over all its queries, one per socket (the latest report wins).
    func hosts() -> [String: [ImportedListener]] {
        var out: [String: [ImportedListener]] = [:]
        for key in state.keys.sorted(by: { ($0.host, $0.query) < ($1.host, $1.query) }) {
            var merged = out[key.host] ?? []
            for row in state[key] ?? [] {
                if let index = merged.firstIndex(where: { sameSocket($0.listener, row.listener) }) {
                    if merged[index].line < row.line { merged[index] = row }
                } else {
                    merged.append(row)
                }
            }
            out[key.host] = merged
        }
        return out.mapValues { $0.sorted { $0.listener < $1.listener } }
    }

    private func sameSocket(_ a: Listener, _ b: Listener) -> Bool {
        a.transport == b.transport && a.address == b.address && a.port == b.port && a.namespace == b.namespace
    }

    private mutating func listeners(_ rows: [JSONValue], line: Int, time: Date?) -> [ImportedListener] {
        var found: [ImportedListener] = []
        for row in rows where row["port"] != nil {
            switch importer.listener(row) {
            case .success(let listener?):
                if listener.transport == .udp, let range = importer.ephemeralRange, range.contains(listener.port) {
                    skippedEphemeral += 1
                } else {
                    found.append(ImportedListener(listener: listener, line: line, time: time))
                }
            case .success(nil): continue
            case .failure(var problem):
                problem.file = file
                problem.line = line
                problems.append(problem)
            }
        }
        return found
    }
}
