import PortwardenCore

/// The running state of an osquery import: each host's listeners and the run being applied.
struct ImportState {
    let importer: OsqueryListenerImporter
    let file: String
    var hosts: [String: [Listener]] = [:]
    var changes: [String: [DriftChange]] = [:]
    var problems: [InventoryProblem] = []
    var skippedEphemeral = 0
    /// The run whose rows are being applied: host, counter, time, state before, baseline or not.
    var pending: (host: String, counter: Int64?, time: Int64?, before: [Listener], baseline: Bool)?

    init(importer: OsqueryListenerImporter, file: String) {
        self.importer = importer
        self.file = file
    }

    mutating func problem(_ line: Int, _ message: String) {
        problems.append(InventoryProblem(.malformedLine, file: file, line: line, message: message))
    }

    /// Applies one line: a snapshot replaces the host's state; added/removed rows change it.
    mutating func apply(_ line: OsqueryLine, line number: Int) {
        if let rows = line.snapshot {
            flush()
            let before = hosts[line.host]
            hosts[line.host] = listeners(rows, line: number)
            if let before, line.counter != 0 {
                changes[line.host, default: []] += InventoryDrift.compare(
                    previous: before, current: hosts[line.host] ?? [])
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
        startRun(line)
        var state = hosts[line.host] ?? []
        for row in listeners(removed, line: number) {
            if let index = state.firstIndex(of: row) ?? state.firstIndex(where: { sameSocket($0, row) }) {
                state.remove(at: index)
            }
        }
        state += listeners(added, line: number)
        hosts[line.host] = state
    }

    /// Begins a new run unless the line belongs to the pending one (same host, counter and time).
    private mutating func startRun(_ line: OsqueryLine) {
        if let run = pending, run.host == line.host, run.counter == line.counter, run.time == line.unixTime { return }
        flush()
        let baseline = line.counter == 0
        if baseline { hosts[line.host] = [] }
        pending = (line.host, line.counter, line.unixTime, hosts[line.host] ?? [], baseline)
    }

    /// Ends the pending run, recording its changes unless it was a baseline.
    mutating func flush() {
        guard let run = pending else { return }
        pending = nil
        guard !run.baseline else { return }
        changes[run.host, default: []] += InventoryDrift.compare(previous: run.before, current: hosts[run.host] ?? [])
    }

    private func sameSocket(_ a: Listener, _ b: Listener) -> Bool {
        a.transport == b.transport && a.address == b.address && a.port == b.port && a.namespace == b.namespace
    }

    private mutating func listeners(_ rows: [JSONValue], line: Int) -> [Listener] {
        var found: [Listener] = []
        for row in rows {
            switch importer.listener(row) {
            case .success(let listener?):
                if listener.transport == .udp, let range = importer.ephemeralRange, range.contains(listener.port) {
                    skippedEphemeral += 1
                } else {
                    found.append(listener)
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
