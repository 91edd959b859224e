import ArgumentParser
import PortwardenStore

/// `portwarden findings …`: the stored findings and their lifecycle.
struct FindingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "List stored findings, acknowledge one, or show its history.",
        subcommands: [FindingsListCommand.self, FindingsAckCommand.self, FindingsHistoryCommand.self]
    )
}

struct FindingsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored findings.")

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "Only this status: open, acknowledged, resolved or excepted.") var status: String?

    func run() async throws {
        var filter: FindingStatus?
        if let status {
            guard let value = FindingStatus(rawValue: status) else {
                throw CLIFailure.input("--status \(status): use open, acknowledged, resolved or excepted")
            }
            filter = value
        }
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        let findings = try StoreFailure.run { try opened.findings(status: filter) }
        for finding in findings {
            let subject = [finding.zone, finding.host, finding.transport.map { "\($0)/\(finding.port ?? 0)" }]
                .compactMap { $0 }.joined(separator: " ")
            print(
                "\(finding.fingerprint)  \(finding.status.rawValue)  \(finding.severity)  \(finding.rule)  \(subject)  "
                    + "first \(StoreClock.text(finding.firstSeen)), last \(StoreClock.text(finding.lastSeen))")
        }
        if findings.isEmpty { print("no findings") }
    }
}

struct FindingsAckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge an open finding.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The finding's fingerprint.") var fingerprint: String
    @Option(name: .long, help: "Why it stays for now.") var reason: String
    @Option(name: .long, help: "Who acknowledges.") var by: String

    func run() async throws {
        let opened = try store.open()
        defer { try? opened.close() }
        try StoreFailure.run { try opened.acknowledge(fingerprint: fingerprint, reason: reason, by: by) }
        print("finding \(fingerprint): acknowledged by \(by)")
    }
}

struct FindingsHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "A finding's lifecycle.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The finding's fingerprint.") var fingerprint: String

    func run() async throws {
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        let events = try StoreFailure.run { try opened.findingHistory(fingerprint: fingerprint) }
        if events.isEmpty { throw CLIFailure.input("no finding with fingerprint \(fingerprint)") }
        for event in events {
            print("\(StoreClock.text(event.time))  \(event.status)  \(event.actor ?? "")  \(event.reason ?? "")")
        }
    }
}
