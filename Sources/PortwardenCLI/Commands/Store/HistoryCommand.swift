import ArgumentParser
import PortwardenCore
import PortwardenPolicy
import PortwardenStore

/// `portwarden history`: what the store knows about a port over time.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The state intervals of a port on a host, or every port opened in a zone since its last review.",
        discussion: """
            Examples:
              portwarden history tcp/23 --host 10.20.1.12            # when was it open, from which vantage
              portwarden history --zone cde-db --policy policy.yaml  # every port opened since the last signed review
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The port, tcp/23 or udp/161.") var port: String?
    @Option(name: .long, help: "The host.") var host: String?
    @Option(name: .long, help: "A zone: list ports opened in it since its last signed review.") var zone: String?
    @Option(name: .long, help: "The policy file that declares the zone's prefixes.") var policy: String?
    @Flag(name: .long, help: "Also read the monthly archives.") var archives = false

    func run() async throws {
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        if let zone { return try zoneHistory(opened, zone: zone) }
        guard let port, let host else { throw CLIFailure.input("give PORT and --host, or --zone with --policy") }
        guard case .success(let spec) = PortSpec.parse(port), spec.range.lower == spec.range.upper else {
            throw CLIFailure.input("\(port): not a single port such as tcp/23")
        }
        guard let address = IPAddress(host) else { throw CLIFailure.input("--host \(host): not an address") }
        let intervals = try StoreFailure.run {
            try opened.portHistory(host: address, transport: spec.transport, port: spec.range.lower, archives: archives)
        }
        if let last = intervals.filter({ $0.state == "open" }).max(by: { $0.lastSeen < $1.lastSeen }) {
            print(
                "\(port) on \(host) last open \(StoreClock.text(last.lastSeen)) from vantage \(last.vantage.isEmpty ? "(none)" : last.vantage)"
            )
        } else {
            print("\(port) on \(host) never seen open")
        }
        for interval in intervals { print("  " + Self.line(interval)) }
    }

    private func zoneHistory(_ opened: any EvidenceStore, zone: String) throws {
        guard let policy else { throw CLIFailure.input("--zone needs --policy (the zone's prefixes)") }
        let (loaded, _) = try PolicyInput.loadWithLines(policy)
        guard let declared = loaded.zones.first(where: { $0.id == zone }) else {
            throw CLIFailure.input("\(policy): no zone \"\(zone)\"")
        }
        let review = try StoreFailure.run { try opened.lastSignedReview(zone: zone) }
        let since = review?.signed ?? 0
        let opens = try StoreFailure.run { try opened.openedSince(declared.prefixes, since: since) }
        print(
            "zone \(zone): \(opens.count) port\(opens.count == 1 ? "" : "s") opened since "
                + (review.map { "review \($0.id) signed \(StoreClock.text(since))" }
                    ?? "the store began (no signed review)"))
        for interval in opens { print("  \(interval.host) " + Self.line(interval)) }
    }

    static func line(_ interval: PortInterval) -> String {
        let ports = interval.low == interval.high ? "\(interval.low)" : "\(interval.low)-\(interval.high)"
        var text = "\(interval.transport.rawValue)/\(ports) \(interval.state)"
        if let service = interval.service { text += " \(service)" }
        text += " from \(StoreClock.text(interval.firstSeen)) to \(StoreClock.text(interval.lastSeen))"
        if let ended = interval.ended { text += ", ended \(StoreClock.text(ended))" } else { text += ", current" }
        text += ", vantage \(interval.vantage.isEmpty ? "(none)" : interval.vantage)"
        return text
    }
}
