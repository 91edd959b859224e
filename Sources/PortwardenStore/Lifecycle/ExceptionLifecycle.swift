import Foundation
import PortwardenCore

/// A request for an exception: what it covers, why, who asks, until when.
public struct ExceptionRequest: Sendable {
    public var id: String
    public var zone: String
    public var hosts: [Prefix]
    public var ports: [PortSpec]
    public var justification: String
    public var requestedBy: String
    public var expires: CalendarDay
    public var ticket: String?

    public init(
        id: String, zone: String, hosts: [Prefix], ports: [PortSpec], justification: String, requestedBy: String,
        expires: CalendarDay, ticket: String? = nil
    ) {
        self.id = id
        self.zone = zone
        self.hosts = hosts
        self.ports = ports
        self.justification = justification
        self.requestedBy = requestedBy
        self.expires = expires
        self.ticket = ticket
    }
}

/// The rules of the exception lifecycle: requested → approved (by someone other than the requester, with
/// an approval date) → revoked or expired. Nothing is edited in place without a record.
enum ExceptionLifecycle {
    static func approved(_ writer: StoreWriter, at time: Int64) throws -> [StoredException] {
        try writer.rows(StoreSchema.exceptions, where: "status = ?", [.text("approved")])
            .compactMap(StoredException.init(row:)).filter { $0.status(at: time) == .approved }
    }
}

extension EvidenceStore {
    /// Records a request for an exception.
    public func requestException(_ request: ExceptionRequest) throws {
        guard !request.justification.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError(.lifecycle, "exception \(request.id): a justification is required")
        }
        guard !request.ports.isEmpty else { throw StoreError(.lifecycle, "exception \(request.id): no ports") }
        try write { writer in
            let table = StoreSchema.exceptions
            guard try writer.rows(table, where: "exception_id = ?", [.text(request.id)]).isEmpty else {
                throw StoreError(.lifecycle, "exception \(request.id) already exists")
            }
            guard StoreClock.micros(request.expires.end) > writer.time else {
                throw StoreError(.lifecycle, "exception \(request.id): expiry \(request.expires) is in the past")
            }
            try writer.insert(
                table,
                [
                    .text(request.id), .text(request.zone),
                    .text(request.hosts.map(\.description).joined(separator: ",")),
                    .text(request.ports.map { "\($0.transport.rawValue)/\($0.range)" }.joined(separator: ",")),
                    .text(request.justification), .text(request.requestedBy), .integer(writer.time),
                    .text(request.expires.description), .text("requested"), .null, .null, .null, .null, .null,
                    .optional(request.ticket),
                ])
        }
    }

    /// Approves a requested exception. The approver must not be the requester; the approval date is required.
    public func approveException(id: String, approver: String, on day: CalendarDay) throws {
        try write { writer in
            let (found, exception) = try Self.exceptionRow(writer, id)
            var row = found
            guard exception.status(at: writer.time) == .requested else {
                throw StoreError(
                    .lifecycle, "exception \(id) is \(exception.status(at: writer.time).rawValue), not requested")
            }
            guard !approver.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw StoreError(.lifecycle, "exception \(id): the approver is required")
            }
            guard approver != exception.requestedBy else {
                throw StoreError(
                    .lifecycle, "exception \(id): \(approver) requested it and cannot approve it (approver ≠ requester)"
                )
            }
            row[9] = .text("approved")
            row[10] = .text(approver)
            row[11] = .text(day.description)
            try writer.update(StoreSchema.exceptions, row)
        }
    }

    /// Revokes a requested or approved exception.
    public func revokeException(id: String, by actor: String, reason: String) throws {
        try write { writer in
            let (found, exception) = try Self.exceptionRow(writer, id)
            var row = found
            let status = exception.status(at: writer.time)
            guard status == .requested || status == .approved else {
                throw StoreError(.lifecycle, "exception \(id) is already \(status.rawValue)")
            }
            row[9] = .text("revoked")
            row[12] = .text(actor)
            row[13] = .integer(writer.time)
            row[14] = .text(reason)
            try writer.update(StoreSchema.exceptions, row)
        }
    }

    /// Every exception; approved ones past their expiry are recorded as expired on the way.
    public func exceptions() throws -> [StoredException] {
        let rows = try read { session in
            try session.query("SELECT \(StoreSchema.exceptions.selectList) FROM exceptions ORDER BY exception_id", [])
        }
        let now = StoreClock.now()
        let stale = rows.compactMap(StoredException.init(row:)).filter {
            $0.status == .approved && $0.status(at: now) == .expired
        }
        if !stale.isEmpty, signer != nil {
            try write(at: now) { writer in
                for exception in stale {
                    var (row, _) = try Self.exceptionRow(writer, exception.id)
                    row[9] = .text("expired")
                    try writer.update(StoreSchema.exceptions, row)
                }
            }
            return try exceptions()
        }
        return rows.compactMap(StoredException.init(row:))
    }

    static func exceptionRow(_ writer: StoreWriter, _ id: String) throws -> ([SQLValue], StoredException) {
        guard let row = try writer.rows(StoreSchema.exceptions, where: "exception_id = ?", [.text(id)]).first,
            let exception = StoredException(row: row)
        else { throw StoreError(.lifecycle, "no exception \(id)") }
        return (row, exception)
    }
}
