import PortwardenCore
import PortwardenPolicy

/// The PCI DSS 1.2.5 table (`AllowedServicesTable`) as CSV (RFC 4180): one row per declared service
/// and per exception, with zone, hosts, protocol, ports, sources, justification, owner, approver,
/// approval date, ticket, whether the pack calls the declared ports insecure (from the pack, not from
/// this run's findings), the security features named and the expiry.
public enum AllowedServicesCSV {
    /// The header row.
    public static let columns = [
        "kind", "id", "zone", "hosts", "protocol", "ports", "allow_from", "justification", "owner", "approved_by",
        "approved_on", "ticket", "insecure_per_pack", "features", "expires", "compensating_control",
    ]

    /// Renders the table.
    public static func render(_ policy: Policy, pack: InsecureServiceRulePack = .builtIn) -> String {
        var rows = [columns]
        for row in AllowedServicesTable(policy, pack: pack).rows {
            rows.append([
                row.kind.rawValue, row.id, row.zone, row.hostsText,
                row.protocols.map(\.rawValue).joined(separator: " "),
                row.ports.map(\.description).joined(separator: " "), row.allowFromText, row.justification ?? "",
                row.owner ?? "", row.approvedBy ?? "", row.approvedOn?.description ?? "", row.ticket ?? "",
                row.insecurePerPack.joined(separator: " "), row.features.joined(separator: " "),
                row.expires?.description ?? "", row.compensatingControl.joined(separator: " "),
            ])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
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
