import PortwardenCore
import PortwardenPolicy

extension HTMLReport {
    /// The PCI DSS 1.2.5 table: one row per declared service and per exception, the same rows as
    /// the CSV (`AllowedServicesTable`), plus when this run last saw each one's ports listening.
    static func servicesSection(_ context: AuditContext) -> String {
        let coverage = PortCoverage(policy: context.policy, observations: context.observations, at: context.generatedAt)
        let rows = AllowedServicesTable(context.policy).rows.map { row -> [HTMLTable.Cell] in
            let seen =
                row.kind == .service ? coverage.lastSeenListening[row.id] : coverage.lastSeenUnderException[row.id]
            return [
                HTMLTable.Cell(html: "<code>\(h(row.id))</code>", className: "nowrap"),
                .text(row.kind.rawValue),
                .text(row.zone),
                .text(row.hostsText, "mono"),
                .text(row.protocols.map(\.rawValue).joined(separator: ", ")),
                .text(list(row.ports), "mono"),
                .text(row.allowFrom.isEmpty ? "own zone only" : list(row.allowFrom)),
                .required(row.justification),
                .required(row.owner),
                .required(row.approvedBy),
                .required(row.approvedOn?.description),
                .text(row.ticket ?? "-"),
                row.insecurePerPack.isEmpty
                    ? .text("no") : .text("yes: " + row.insecurePerPack.joined(separator: ", "), "missing"),
                row.kind == .service
                    ? .text("-")
                    : (row.features.isEmpty ? .required(nil) : .text(row.features.joined(separator: ", "))),
                row.kind == .service ? .text("-") : .text(row.expires?.description ?? "none", "nowrap"),
                .text(seen.map { Timestamp.format($0) } ?? "not observed", "nowrap"),
            ]
        }
        let table = HTMLTable(
            caption: "Allowed services, protocols and ports (PCI DSS 1.2.5)",
            headers: [
                "ID", "Kind", "Zone", "Hosts", "Protocol", "Ports", "Allow from", "Justification", "Owner",
                "Approved by",
                "Approved on", "Ticket", "Insecure per pack", "Security features", "Expires", "Last seen listening",
            ], rows: rows, emptyText: "The policy declares no services and no exceptions.")
        let note =
            "Every service the policy allows and every exception, with its business justification and approval. "
            + "\"Insecure per pack\" names the rule-pack rows whose ports the row declares (from the pack, not from "
            + "this run's findings); \"security features\" the mitigations an exception names; \"last seen "
            + "listening\" the latest open observation its ports and hosts cover. The same rows are written as "
            + "allowed-services-1.2.5.csv."
        return section("services", "Allowed services and exceptions (1.2.5)", table.html, note: note)
    }

    /// Policy exceptions with their status at the report time.
    static func exceptionsSection(_ context: AuditContext) -> String {
        let rows = context.policy.exceptions.map { exception -> [HTMLTable.Cell] in
            let status = ExceptionStatus(expires: exception.expires, at: context.generatedAt)
            let statusClass = "status-" + status.rawValue.replacingSpaces(with: "-")
            return [
                HTMLTable.Cell(html: "<code>\(h(exception.id))</code>", className: "nowrap"),
                .text(exception.zone),
                .text(exception.hosts.isEmpty ? "all hosts of the zone" : list(exception.hosts), "mono"),
                .text(list(exception.ports), "mono"),
                .required(exception.justification),
                exception.mitigations.isEmpty ? .required(nil) : .text(exception.mitigations.joined(separator: ", ")),
                .required(exception.owner),
                .text(exception.expires?.description ?? "none", "nowrap"),
                .text(status.rawValue, statusClass),
            ]
        }
        let table = HTMLTable(
            caption: "Policy exceptions (time-boxed, reviewed at every 1.2.7 review)",
            headers: [
                "Exception", "Zone", "Hosts", "Ports", "Justification", "Mitigations", "Owner", "Expires", "Status",
            ],
            rows: rows, emptyText: "The policy has no exceptions.")
        let note =
            "Status as of \(stamp(context)): expiring means the last day is at most "
            + "\(ExceptionStatus.warningDays) days away."
        return section("exceptions", "Exceptions", table.html, note: note)
    }

    /// Every open-port observation, by host, transport and port.
    static func inventorySection(_ context: AuditContext) -> String {
        let open = context.observations.filter { $0.state == .open }.sorted {
            ($0.host, $0.transport.rawValue, $0.port, $0.time) < ($1.host, $1.transport.rawValue, $1.port, $1.time)
        }
        let rows = open.map { observation -> [HTMLTable.Cell] in
            [
                .text(observation.host.description, "mono"),
                .text("\(observation.transport.rawValue)/\(observation.port)", "mono"),
                .text(observation.service ?? "-"),
                .text(observation.vantage ?? "-"),
                .text(observation.source.rawValue),
                .text(Timestamp.format(observation.time), "mono nowrap"),
            ]
        }
        let table = HTMLTable(
            caption: "Open ports observed",
            headers: ["Host", "Port", "Service", "Vantage", "Source", "Time"], rows: rows,
            emptyText: "No open ports were observed.")
        return section("inventory", "Observed open ports", table.html)
    }

    private static func list<T: CustomStringConvertible>(_ items: [T]) -> String {
        items.map(\.description).joined(separator: ", ")
    }
}

extension String {
    fileprivate func replacingSpaces(with replacement: String) -> String {
        split(separator: " ", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
