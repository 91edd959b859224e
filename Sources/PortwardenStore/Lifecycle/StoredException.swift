import PortwardenCore

/// An exception as the store keeps it, with its lifecycle state.
public struct StoredException: Sendable, Hashable {
    /// `requested`, `approved`, `revoked`; `expired` is derived from `expires` at read time and recorded
    /// the first time `exception list` sees it.
    public enum Status: String, Sendable, CaseIterable {
        case requested, approved, revoked, expired
    }

    public var id: String
    public var zone: String
    public var hosts: [Prefix]
    public var ports: [PortSpec]
    public var justification: String
    public var requestedBy: String
    public var requested: Int64
    public var expires: CalendarDay
    public var status: Status
    public var approvedBy: String?
    public var approvedOn: CalendarDay?
    public var revokedBy: String?
    public var revokeReason: String?
    public var ticket: String?

    init?(row: [SQLValue]) {
        guard row.count == 16, let id = row[1].text, let zone = row[2].text, let hosts = row[3].text,
            let ports = row[4].text, let justification = row[5].text, let requestedBy = row[6].text,
            let requested = row[7].integer, let expires = row[8].text.flatMap(CalendarDay.init),
            let status = row[9].text.flatMap(Status.init(rawValue:))
        else { return nil }
        self.id = id
        self.zone = zone
        self.hosts = hosts.split(separator: ",").compactMap { Prefix(String($0)) }
        self.ports = ports.split(separator: ",").compactMap { try? PortSpec.parse(String($0)).get() }
        self.justification = justification
        self.requestedBy = requestedBy
        self.requested = requested
        self.expires = expires
        self.status = status
        approvedBy = row[10].text
        approvedOn = row[11].text.flatMap(CalendarDay.init)
        revokedBy = row[12].text
        revokeReason = row[14].text
        ticket = row[15].text
    }

    /// The status at a time: an approved exception past its last day is expired.
    public func status(at time: Int64) -> Status {
        if status == .approved, StoreClock.micros(expires.end) <= time { return .expired }
        return status
    }

    /// Whether the exception covers a stored finding's subject.
    func covers(zone: String?, host: String?, transport: String?, port: Int64?) -> Bool {
        guard zone == nil || zone == self.zone else { return false }
        if let host, !hosts.isEmpty {
            guard let address = IPAddress(host), hosts.contains(where: { $0.contains(address) }) else { return false }
        }
        guard let transport = transport.flatMap(Transport.init(rawValue:)),
            let port = port.flatMap(UInt16.init(exactly:))
        else { return false }
        return ports.contains { $0.matches(transport, port) }
    }
}
