import ArgumentParser
import PortwardenCore
import PortwardenStore

/// `portwarden exception …`: the exception lifecycle in the store.
struct ExceptionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exception",
        abstract: "Request, approve, revoke and list exceptions (approver ≠ requester, expiry required).",
        subcommands: [
            ExceptionRequestCommand.self, ExceptionApproveCommand.self, ExceptionRevokeCommand.self,
            ExceptionListCommand.self,
        ]
    )
}

struct ExceptionRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Record a request for an exception.",
        discussion:
            "Example: portwarden exception request EX-7 --zone cde-db --host 10.20.1.12 --port tcp/23 --justification 'Legacy HSM console' --by alice --expires 2026-12-31"
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The exception id (EX-7).") var id: String
    @Option(name: .long, help: "The zone.") var zone: String
    @Option(name: .long, help: "A host or prefix it covers (repeatable; none means the whole zone).") var host:
        [String] = []
    @Option(name: .long, help: "A port it covers, tcp/23 or udp/161 (repeatable).") var port: [String] = []
    @Option(name: .long, help: "Why it is needed.") var justification: String
    @Option(name: .long, help: "Who requests it.") var by: String
    @Option(name: .long, help: "The last day it holds (YYYY-MM-DD).") var expires: String
    @Option(name: .long, help: "A ticket reference.") var ticket: String?

    func run() async throws {
        var prefixes: [Prefix] = []
        for text in host {
            guard let prefix = Prefix(text) ?? IPAddress(text).map({ Prefix(host: $0) }) else {
                throw CLIFailure.input("--host \(text): not an address or prefix")
            }
            prefixes.append(prefix)
        }
        var ports: [PortSpec] = []
        for text in port {
            switch PortSpec.parse(text) {
            case .success(let spec): ports.append(spec)
            case .failure(let error): throw CLIFailure.input("--port \(error)")
            }
        }
        guard let day = CalendarDay(expires) else {
            throw CLIFailure.input("--expires \(expires): not a YYYY-MM-DD day")
        }
        let opened = try store.open()
        defer { try? opened.close() }
        try StoreFailure.run {
            try opened.requestException(
                ExceptionRequest(
                    id: id, zone: zone, hosts: prefixes, ports: ports, justification: justification, requestedBy: by,
                    expires: day, ticket: ticket))
        }
        print("exception \(id): requested by \(by), expires \(day)")
    }
}

struct ExceptionApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a requested exception.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The exception id.") var id: String
    @Option(name: .long, help: "Who approves it (not the requester).") var by: String
    @Option(name: .long, help: "The approval day (YYYY-MM-DD).") var on: String

    func run() async throws {
        guard let day = CalendarDay(on) else { throw CLIFailure.input("--on \(on): not a YYYY-MM-DD day") }
        let opened = try store.open()
        defer { try? opened.close() }
        try StoreFailure.run { try opened.approveException(id: id, approver: by, on: day) }
        print("exception \(id): approved by \(by) on \(day)")
    }
}

struct ExceptionRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an exception.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The exception id.") var id: String
    @Option(name: .long, help: "Who revokes it.") var by: String
    @Option(name: .long, help: "Why.") var reason: String

    func run() async throws {
        let opened = try store.open()
        defer { try? opened.close() }
        try StoreFailure.run { try opened.revokeException(id: id, by: by, reason: reason) }
        print("exception \(id): revoked by \(by)")
    }
}

struct ExceptionListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List exceptions and their state.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let opened = try store.open()
        defer { try? opened.close() }
        let exceptions = try StoreFailure.run { try opened.exceptions() }
        for exception in exceptions {
            let ports = exception.ports.map { "\($0.transport.rawValue)/\($0.range)" }.joined(separator: ",")
            let hosts =
                exception.hosts.isEmpty ? "all hosts" : exception.hosts.map(\.description).joined(separator: ",")
            var line =
                "\(exception.id)  \(exception.status.rawValue)  zone \(exception.zone)  \(hosts)  \(ports)  expires \(exception.expires)"
            line += "  requested by \(exception.requestedBy)"
            if let approver = exception.approvedBy {
                line += ", approved by \(approver) on \(exception.approvedOn?.description ?? "?")"
            }
            if let revoker = exception.revokedBy { line += ", revoked by \(revoker): \(exception.revokeReason ?? "")" }
            print(line)
        }
        if exceptions.isEmpty { print("no exceptions") }
    }
}
