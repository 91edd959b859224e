import PortwardenCore
import PortwardenPolicy

/// The PCI DSS 1.2.5 table as CSV (RFC 4180): one row per declared service and per exception, with
/// zone, hosts, protocol, ports, sources, justification, owner, approver, approval date, ticket,
/// whether the pack calls the declared ports insecure (from the pack, not from this run's findings),
/// the security features named and the expiry.
public enum AllowedServicesCSV {
    /// The header row.
    public static let columns = [
        "kind", "id", "zone", "hosts", "protocol", "ports", "allow_from", "justification", "owner", "approved_by",
        "approved_on", "ticket", "insecure_per_pack", "features", "expires", "compensating_control",
    ]

    /// Renders the table.
    public static func render(_ policy: Policy, pack: InsecureServiceRulePack = .builtIn) -> String {
        var rows = [columns]
        for service in policy.services {
            rows.append([
                "service", service.id, service.zone, hosts(service.hosts), protocols(service.ports),
                service.ports.map(\.description).joined(separator: " "), sources(service.allowFrom),
                service.justification ?? "", service.owner ?? "", service.approvedBy ?? "",
                service.approvedOn?.description ?? "", service.ticket ?? "",
                insecure(service.ports, pack).joined(separator: " "), "", "", "",
            ])
        }
        for exception in policy.exceptions {
            let reference = [exception.compensatingControl, exception.customizedApproach].compactMap { $0 }
            rows.append([
                "exception", exception.id, exception.zone, hosts(exception.hosts), protocols(exception.ports),
                exception.ports.map(\.description).joined(separator: " "), sources(exception.allowFrom),
                exception.justification ?? "", exception.owner ?? "", exception.approvedBy ?? "",
                exception.approvedOn?.description ?? "", exception.ticket ?? "",
                insecure(exception.ports, pack).joined(separator: " "), exception.mitigations.joined(separator: " "),
                exception.expires?.description ?? "", reference.joined(separator: " "),
            ])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// The pack's rules whose candidate ports overlap the declared ports.
    static func insecure(_ ports: [PortSpec], _ pack: InsecureServiceRulePack) -> [String] {
        pack.rules.filter { rule in
            rule.ports.contains { candidate in
                ports.contains {
                    $0.transport == candidate.transport && $0.range.lower <= candidate.range.upper
                        && candidate.range.lower <= $0.range.upper
                }
            }
        }.map(\.id)
    }

    private static func hosts(_ hosts: [Prefix]) -> String {
        hosts.isEmpty ? "all hosts of the zone" : hosts.map(\.description).joined(separator: " ")
    }

    private static func protocols(_ ports: [PortSpec]) -> String {
        var seen: [String] = []
        for port in ports where !seen.contains(port.transport.rawValue) { seen.append(port.transport.rawValue) }
        return seen.joined(separator: " ")
    }

    private static func sources(_ sources: [AccessSource]) -> String {
        sources.isEmpty ? "own zone only" : sources.map(\.description).joined(separator: " ")
    }

    /// One CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`,
    /// `@` is prefixed with `'` so that a spreadsheet does not run it as a formula.
    public static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingQuotes() + "\""
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for character in self {
            if character == "\"" { out += "\"\"" } else { out.append(character) }
        }
        return out
    }
}
