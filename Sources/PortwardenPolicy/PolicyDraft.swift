import PortwardenCore

/// A zone as read from the file, with the positions cross-checks need.
struct ZoneDraft {
    var at: SourceLocation
    var id: Located<String>?
    var kind: ZoneKind?
    var prefixes: [Located<Prefix>] = []
    var owner: String?
    var description: String?
    var review: Located<ReviewCadence>?
}

/// What services and exceptions share: where they apply and who may reach them.
struct GrantDraft {
    var at: SourceLocation
    var id: Located<String>?
    var zone: Located<String>?
    var hosts: [Located<Prefix>] = []
    var ports: [PortSpec] = []
    var allowFrom: [Located<AccessSource>] = []
    var justification: String?
    var owner: Located<String>?
    var approvedBy: Located<String>?
    var approvedOn: CalendarDay?
    var approvedOnAt: SourceLocation?
    var ticket: String?
    /// `edge-justification`: per allow-from entry (as written), why that edge into the CDE exists.
    var edgeJustifications: [String: String] = [:]
}

/// A service as read from the file.
struct ServiceDraft {
    var grant: GrantDraft
    var process: String?
    var bind: BindScope?
    var description: String?
}

/// An exception as read from the file.
struct ExceptionDraft {
    var grant: GrantDraft
    var rules: [String] = []
    /// Where each `rules` entry was written.
    var rulesAt: [SourceLocation] = []
    var mitigations: [String] = []
    var expires: CalendarDay?
    var expiresAt: SourceLocation?
    var description: String?
    var compensatingControl: String?
    var customizedApproach: String?
}

/// The whole policy as read from the file, before cross-checks.
struct PolicyDraft {
    var version = 1
    var organization: String?
    var entity = EntityType.merchant
    var review = ReviewSettings()
    var reviewAt = SourceLocation.file
    var zones: [ZoneDraft] = []
    var services: [ServiceDraft] = []
    var exceptions: [ExceptionDraft] = []

    /// The line of each object's definition by id; the first definition of an id wins.
    var objectLines: [String: Int] {
        var lines: [String: Int] = [:]
        let located =
            zones.compactMap { zone in zone.id.map { ($0.value, zone.at.line) } }
            + services.compactMap { service in service.grant.id.map { ($0.value, service.grant.at.line) } }
            + exceptions.compactMap { exception in exception.grant.id.map { ($0.value, exception.grant.at.line) } }
        for (id, line) in located where lines[id] == nil && line > 0 { lines[id] = line }
        return lines
    }

    /// The Core policy (meaningful only when no error was reported).
    func makePolicy() -> Policy {
        Policy(
            version: version, organization: organization, entity: entity, review: review,
            zones: zones.map { zone in
                Zone(
                    id: zone.id?.value ?? "", kind: zone.kind ?? .outOfScope, prefixes: zone.prefixes.map(\.value),
                    owner: zone.owner, description: zone.description, review: zone.review?.value)
            },
            services: services.map { service in
                let grant = service.grant
                return Service(
                    id: grant.id?.value ?? "", zone: grant.zone?.value ?? "", hosts: grant.hosts.map(\.value),
                    ports: grant.ports, process: service.process, bind: service.bind,
                    allowFrom: grant.allowFrom.map(\.value), justification: grant.justification,
                    owner: grant.owner?.value, approvedBy: grant.approvedBy?.value, approvedOn: grant.approvedOn,
                    ticket: grant.ticket, description: service.description)
            },
            exceptions: exceptions.map { exception in
                let grant = exception.grant
                return PolicyException(
                    id: grant.id?.value ?? "", zone: grant.zone?.value ?? "", hosts: grant.hosts.map(\.value),
                    ports: grant.ports, allowFrom: grant.allowFrom.map(\.value), rules: exception.rules,
                    justification: grant.justification, mitigations: exception.mitigations, owner: grant.owner?.value,
                    approvedBy: grant.approvedBy?.value, approvedOn: grant.approvedOn, ticket: grant.ticket,
                    expires: exception.expires, description: exception.description,
                    compensatingControl: exception.compensatingControl, customizedApproach: exception.customizedApproach
                )
            })
    }
}
