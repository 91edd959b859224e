import PortwardenCore
import PortwardenPolicy

/// The PCI DSS 1.2.5 table, one row per declared service and per exception, with every column an
/// assessor asks for. The CSV and the HTML report render these same rows, so the two never differ.
public struct AllowedServicesTable: Sendable {
    /// Whether a row is a declared service or an exception.
    public enum Kind: String, Sendable {
        case service
        case exception
    }

    /// One row. Missing values are `nil` or empty, so that each rendering marks them its own way.
    public struct Row: Sendable {
        public var kind: Kind
        public var id: String
        public var zone: String
        /// The hosts as CIDRs; empty means every host of the zone.
        public var hosts: [Prefix]
        /// The transports named by the ports, in declaration order without repeats.
        public var protocols: [Transport]
        public var ports: [PortSpec]
        /// Who may connect; empty means the zone itself only.
        public var allowFrom: [AccessSource]
        public var justification: String?
        public var owner: String?
        public var approvedBy: String?
        public var approvedOn: CalendarDay?
        public var ticket: String?
        /// The rule-pack rows whose candidate ports overlap the declared ports (from the pack, not
        /// from any run's findings).
        public var insecurePerPack: [String]
        /// The security features (mitigations) an exception names; services name none.
        public var features: [String]
        public var expires: CalendarDay?
        /// The compensating control (CCW) or customized-approach reference an exception cites.
        public var compensatingControl: [String]
    }

    public var rows: [Row]

    public init(_ policy: Policy, pack: InsecureServiceRulePack = .builtIn) {
        var rows: [Row] = []
        for service in policy.services {
            rows.append(
                Row(
                    kind: .service, id: service.id, zone: service.zone, hosts: service.hosts,
                    protocols: Self.protocols(service.ports), ports: service.ports, allowFrom: service.allowFrom,
                    justification: service.justification, owner: service.owner, approvedBy: service.approvedBy,
                    approvedOn: service.approvedOn, ticket: service.ticket,
                    insecurePerPack: Self.insecure(service.ports, pack), features: [], expires: nil,
                    compensatingControl: []))
        }
        for exception in policy.exceptions {
            rows.append(
                Row(
                    kind: .exception, id: exception.id, zone: exception.zone, hosts: exception.hosts,
                    protocols: Self.protocols(exception.ports), ports: exception.ports,
                    allowFrom: exception.allowFrom, justification: exception.justification, owner: exception.owner,
                    approvedBy: exception.approvedBy, approvedOn: exception.approvedOn, ticket: exception.ticket,
                    insecurePerPack: Self.insecure(exception.ports, pack), features: exception.mitigations,
                    expires: exception.expires,
                    compensatingControl: [exception.compensatingControl, exception.customizedApproach].compactMap {
                        $0
                    }))
        }
        self.rows = rows
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

    private static func protocols(_ ports: [PortSpec]) -> [Transport] {
        var seen: [Transport] = []
        for port in ports where !seen.contains(port.transport) { seen.append(port.transport) }
        return seen
    }
}

extension AllowedServicesTable.Row {
    /// The hosts as text: CIDRs, or "all hosts of the zone".
    var hostsText: String {
        hosts.isEmpty ? "all hosts of the zone" : hosts.map(\.description).joined(separator: " ")
    }

    /// The sources as text: zones and CIDRs, or "own zone only".
    var allowFromText: String {
        allowFrom.isEmpty ? "own zone only" : allowFrom.map(\.description).joined(separator: " ")
    }
}
