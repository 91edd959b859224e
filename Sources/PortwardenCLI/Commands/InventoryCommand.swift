import ArgumentParser
import PortwardenCore
import PortwardenHost

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `portwarden inventory`: every listening socket on this host, with its owner, and its drift.
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List every listening socket on this host, and report per-port drift between inventories.",
        discussion: """
            `portwarden inventory` is `portwarden inventory list`; see `portwarden inventory list --help` for \
            the drift options (--snapshot, --previous, --track).

            Examples:
              portwarden inventory --all-namespaces
              portwarden inventory --format json --host 10.20.1.10 --vantage cde-app > listeners.jsonl
              portwarden inventory drift monday.json tuesday.json
            """,
        subcommands: [InventoryListCommand.self, InventoryDriftCommand.self],
        defaultSubcommand: InventoryListCommand.self
    )
}

/// `portwarden inventory [list]`: every listening socket on this host, with its owner.
struct InventoryListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every listening TCP/UDP socket on this host with its process, user, unit and namespace.",
        discussion: """
            Reads /proc/net/{tcp,tcp6,udp,udp6} and maps sockets to processes through /proc/<pid>/fd. As root every \
            owner is known; unprivileged, sockets of other users' processes are listed without an owner (and the \
            output says how many). Client-side ephemeral UDP binds and connected UDP sockets are not listeners.

            The JSON form is observation lines (source "host") that `portwarden check` evaluates as they are.

            Drift: --snapshot saves this inventory; --previous compares with a saved one and prints per-port \
            changes (opened, closed, owner-changed, scope-changed; a restart with a new PID is no change); \
            --track keeps a debounced state file for scheduled runs: a change is reported once it holds in 2 of \
            the last 3 runs, so a flapping port does not alert every time. Drift found exits 1 (as `inventory drift` \
            does), so that a scheduled run can alert on the exit code.

            Examples:
              portwarden inventory
              portwarden inventory --all-namespaces --format json > listeners.jsonl
              portwarden check --policy policy.yaml --observations listeners.jsonl
              portwarden inventory --snapshot today.json --previous yesterday.json
              portwarden inventory --all-namespaces --track /var/lib/portwarden/drift.json
            """
    )

    @Flag(name: .long, help: "Include listeners of every network namespace (containers, ip netns).")
    var allNamespaces = false

    @Option(name: .long, help: "Output format: text or json (observation lines).")
    var format: InventoryFormat = .text

    @Option(
        name: .long,
        help:
            "Record every listener under this host address (default: wildcard listeners are recorded under each local address, others under their bound address)."
    )
    var host: String?

    @Option(name: .long, help: "The zone this host belongs to, recorded as the observations' vantage.")
    var vantage: String?

    @Option(name: [.short, .customLong("output")], help: "Write to this file instead of stdout.")
    var output: String?

    @Option(name: .long, help: "Save this inventory as a snapshot (JSON) for later drift comparisons.")
    var snapshot: String?

    @Option(name: .long, help: "A saved snapshot to compare with: prints the per-port changes on stderr.")
    var previous: String?

    @Option(name: .long, help: "A debounce state file (created if missing): prints changes that held in 2 of 3 runs.")
    var track: String?

    @OptionGroup(title: "Evidence store") var store: StoreOptions

    func run() async throws {
        let earlier = try previous.map { try DriftFiles.loadSnapshot($0) }
        let hostAddress = try HostOption.address(host)
        let report = ListenerInventory(
            options: InventoryOptions(allNamespaces: allNamespaces, seenBefore: earlier?.listeners ?? [])
        ).collect()
        for problem in report.problems { Terminal.writeError(problem.description) }
        if report.unprivileged {
            // The problem above says how many owners are unknown; this says what to do about it.
            Terminal.writeError("portwarden: note: not root: run as root to see every owner")
        }
        let now = Date()
        let text: String
        switch format {
        case .json:
            text = ObservationLines.write(
                ListenerObservations.make(report.listeners, host: hostAddress, vantage: vantage, at: now))
        case .text:
            text = InventoryTable.render(report.listeners)
        }
        if let output { try FileBytes.write(text, to: output) } else { Terminal.write(text) }
        let drifted = try recordDrift(report, since: earlier, at: now)
        try StoreRecording.record(
            .init(
                kind: "inventory", started: now,
                observations: ListenerObservations.make(report.listeners, host: hostAddress, vantage: vantage, at: now),
                targets: [hostAddress?.description ?? "this host"], ports: "listeners", vantage: vantage),
            options: store)
        // Drift found exits 1, as `inventory drift` does, so that a scheduled run can alert on it.
        if drifted { throw CLIFailure.findings }
    }

    /// Saves the snapshot and tracker state and prints the drift; returns whether there was any.
    private func recordDrift(_ report: InventoryReport, since earlier: ListenerSnapshot?, at now: Date) throws -> Bool {
        var drifted = false
        let current = ListenerSnapshot(time: now, host: host, listeners: report.listeners)
        if let snapshot { try FileBytes.write(try DriftFiles.encode(current), to: snapshot) }
        if let earlier {
            let changes = InventoryDrift.compare(previous: earlier, current: current)
            Terminal.writeError(
                "portwarden: drift since \(Timestamp.format(earlier.time)): \(Diagnostic.counted(changes.count, "change"))"
            )
            for change in changes { Terminal.writeError("  \(change)") }
            drifted = drifted || !changes.isEmpty
        }
        if let track {
            var tracker = try DriftFiles.loadTracker(track)
            let changes = tracker.record(report.listeners)
            try FileBytes.write(try DriftFiles.encode(tracker), to: track)
            Terminal.writeError("portwarden: debounced drift: \(Diagnostic.counted(changes.count, "change"))")
            for change in changes { Terminal.writeError("  \(change)") }
            drifted = drifted || !changes.isEmpty
        }
        return drifted
    }
}

/// An aligned table of listeners.
enum InventoryTable {
    static func render(_ listeners: [Listener]) -> String {
        let rows: [[String]] = listeners.map { listener in
            let owner = listener.owners.first
            return [
                listener.transport.rawValue, endpoint(listener.address, listener.port), listener.bind.rawValue,
                owner?.executable ?? "?", owner.map { String($0.pid) } ?? "?", owner?.user ?? "?",
                owner?.unit ?? owner?.container ?? "", listener.namespace.description,
            ]
        }
        let header = ["PROTO", "ADDRESS", "SCOPE", "PROCESS", "PID", "USER", "UNIT/CONTAINER", "NETNS"]
        let all = [header] + rows
        let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for row in all {
            out +=
                zip(row, widths).map { $0.0.padding($0.1) }.joined(separator: "  ")
                .trimmingTrailingSpaces() + "\n"
        }
        out += "\(listeners.count) listener\(listeners.count == 1 ? "" : "s")\n"
        return out
    }

    static func endpoint(_ address: IPAddress, _ port: UInt16) -> String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
