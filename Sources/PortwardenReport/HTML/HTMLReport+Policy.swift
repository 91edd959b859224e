import PortwardenCore
import PortwardenPolicy

extension HTMLReport {
    /// The PCI DSS 1.2.5 allowed-services table: one row per declared service.
    static func servicesSection(_ context: AuditContext) -> String {
        let coverage = PortCoverage(policy: context.policy, observations: context.observations, at: context.generatedAt)
        let rows = context.policy.services.map { service -> [HTMLTable.Cell] in
            let approved = [service.approvedBy, service.approvedOn?.description].compactMap { $0 }
            let insecure = AllowedServicesCSV.insecure(service.ports, .builtIn)
            let seen = coverage.lastSeenListening[service.id].map { Timestamp.format($0) }
            return [
                HTMLTable.Cell(html: "<code>\(h(service.id))</code>", className: "nowrap"),
                .text(service.zone),
                .text(service.hosts.isEmpty ? "all hosts of the zone" : list(service.hosts), "mono"),
                .text(list(service.ports), "mono"),
                .text(service.allowFrom.isEmpty ? "own zone only" : list(service.allowFrom)),
                .required(service.justification),
                .required(service.owner),
                approved.isEmpty ? .required(nil) : .text(approved.joined(separator: ", ")),
                .text(service.ticket ?? "-"),
                insecure.isEmpty ? .text("no") : .text("yes: " + insecure.joined(separator: ", "), "missing"),
                .text(seen ?? "not observed", "nowrap"),
            ]
        }
        let table = HTMLTable(
            caption: "Allowed services, protocols and ports (PCI DSS 1.2.5)",
            headers: [
                "Service", "Zone", "Hosts", "Ports", "Allow from", "Justification", "Owner", "Approved by, on",
                "Ticket", "Insecure?", "Last seen listening",
            ], rows: rows, emptyText: "The policy declares no services.")
        let note =
            "Every service the policy allows, with its business justification and approval. "
            + "\"Insecure?\" names the rule-pack rows whose ports the service declares (from the pack, not from this "
            + "run's findings); \"last seen listening\" the latest open observation. The same table, exceptions "
            + "included, is written as allowed-services-1.2.5.csv."
        return section("services", "Allowed services (1.2.5)", table.html, note: note)
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
