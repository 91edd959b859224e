import ArgumentParser
import PortwardenCore
import PortwardenHost

/// `portwarden inventory drift OLD NEW`: per-port changes between two saved inventories.
struct InventoryDriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare two inventory snapshots and print per-port changes.",
        discussion: """
            A port is identified by (network namespace, transport, port, address family); its owner is the \
            executable (with systemd unit and container), never the PID, so a restarted daemon is no change. \
            Kinds: opened, closed, owner-changed, scope-changed. Exits 0 without changes, 1 with changes \
            (like diff), 2 when a file cannot be read.

            Examples:
              portwarden inventory --snapshot monday.json
              portwarden inventory --snapshot tuesday.json
              portwarden inventory drift monday.json tuesday.json
              portwarden inventory drift monday.json tuesday.json --format json
            """
    )

    @Argument(help: "The earlier snapshot (from inventory --snapshot).")
    var old: String

    @Argument(help: "The later snapshot.")
    var new: String

    @Option(name: .long, help: "Output format: text or json (one change per line).")
    var format: InventoryFormat = .text

    func run() async throws {
        let before = try DriftFiles.loadSnapshot(old)
        let after = try DriftFiles.loadSnapshot(new)
        let changes = InventoryDrift.compare(previous: before, current: after)
        switch format {
        case .text:
            Terminal.write(
                changes.map { "\($0)\n" }.joined() + "\(changes.count) change\(changes.count == 1 ? "" : "s")\n")
        case .json:
            Terminal.write(try changes.map { try DriftFiles.encode($0, pretty: false) + "\n" }.joined())
        }
        if !changes.isEmpty { throw CLIFailure(status: .findings, message: "") }
    }
}
