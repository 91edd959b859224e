import PortwardenCore

/// Cross-checks between the parts of a policy: ids, zone references, hosts inside their zones,
/// overlapping zones and review cadences.
struct PolicyValidator {
    let draft: PolicyDraft
    var log: DiagnosticLog
    /// Declared zones by id (the first definition of each id).
    private var zones: [String: ZoneDraft] = [:]

    init(draft: PolicyDraft, log: DiagnosticLog) {
        self.draft = draft
        self.log = log
        for zone in draft.zones {
            if let id = zone.id?.value, zones[id] == nil { zones[id] = zone }
        }
    }

    mutating func validate() {
        checkDuplicateIDs(draft.zones.map(\.id), kind: "zone")
        checkDuplicateIDs(draft.services.map(\.grant.id), kind: "service")
        checkDuplicateIDs(draft.exceptions.map(\.grant.id), kind: "exception")
        for zone in draft.zones { checkZoneReview(zone) }
        for service in draft.services { checkGrant(service.grant, kind: "service", warnOnAnyIntoCDE: true) }
        for exception in draft.exceptions {
            checkGrant(exception.grant, kind: "exception", warnOnAnyIntoCDE: true)
            checkExceptionLimits(exception)
        }
        checkOverlaps()
    }

    private mutating func checkDuplicateIDs(_ ids: [Located<String>?], kind: String) {
        var first: [String: SourceLocation] = [:]
        for case let id? in ids {
            if let earlier = first[id.value] {
                log.error(
                    .duplicateID, at: id.at,
                    "\(kind) id \"\(id.value)\" is already used by the \(kind) defined at line \(earlier.line); "
                        + "ids must be unique")
            } else {
                first[id.value] = id.at
            }
        }
    }

    private mutating func checkZoneReview(_ zone: ZoneDraft) {
        guard let review = zone.review, let id = zone.id?.value else { return }
        if review.value.maximumDays > draft.review.every.maximumDays {
            log.error(
                .zoneReviewLooser, at: review.at,
                "zone \"\(id)\" reviews every \(review.value), which is looser than the policy's \(draft.review.every); "
                    + "a zone may only make the review cadence stricter")
        }
    }

    private mutating func checkGrant(_ grant: GrantDraft, kind: String, warnOnAnyIntoCDE: Bool) {
        let name = grant.id.map { "\(kind) \"\($0.value)\"" } ?? kind
        var zone: ZoneDraft?
        if let reference = grant.zone {
            zone = zones[reference.value]
            if zone == nil {
                log.error(
                    .undeclaredZone, at: reference.at,
                    "\(name) names zone \"\(reference.value)\", which is not declared\(zoneHint(reference.value))")
            }
        }
        for source in grant.allowFrom {
            switch source.value {
            case .zone(let id) where zones[id] == nil:
                log.error(
                    .undeclaredZone, at: source.at,
                    "allow-from entry \"\(id)\" of \(name) is neither a declared zone, a prefix nor \"any\""
                        + zoneHint(id))
            default:
                break
            }
            if warnOnAnyIntoCDE, zone?.kind == .cde { checkEdgeIntoCDE(source, grant: grant, name: name) }
        }
        if let zone, let zoneID = zone.id?.value, !zone.prefixes.isEmpty {
            for host in grant.hosts where !zone.prefixes.contains(where: { $0.value.contains(host.value) }) {
                log.error(
                    .hostOutsideZone, at: host.at,
                    "host \(host.value) of \(name) is outside zone \"\(zoneID)\" (prefixes: "
                        + zone.prefixes.map(\.value.description).joined(separator: ", ") + ")")
            }
        }
    }

    private func zoneHint(_ id: String) -> String {
        Suggestion.hint(for: id, among: zones.keys.sorted())
    }

    /// A CDE object's allow-from entry that names `any`, or a zone of kind out-of-scope, untrusted
    /// or wireless, must carry an `edge-justification`: allowing such a source into the CDE makes it
    /// connected-to (in scope). A prefix lying in such a zone counts as that zone.
    private mutating func checkEdgeIntoCDE(_ source: Located<AccessSource>, grant: GrantDraft, name: String) {
        let written = source.value.description
        guard grant.edgeJustifications[written] == nil else { return }
        let kind: String
        switch source.value {
        case .any:
            kind = "any address"
        case .zone(let id):
            guard let zone = zones[id], let zoneKind = zone.kind, Self.riskyKinds.contains(zoneKind) else { return }
            kind = "zone \"\(id)\" (kind \(zoneKind.rawValue))"
        case .prefix(let block):
            guard
                let zone = draft.zones.first(where: { zone in
                    zone.kind.map(Self.riskyKinds.contains) ?? false
                        && zone.prefixes.contains { $0.value.overlaps(block) }
                }), let zoneKind = zone.kind
            else { return }
            kind = "prefix \(block), which lies in zone \"\(zone.id?.value ?? "")\" (kind \(zoneKind.rawValue))"
        }
        log.error(
            .unjustifiedEdgeIntoCDE, at: source.at,
            "\(name) in CDE zone \"\(grant.zone?.value ?? "")\" allows \(kind) without an edge justification; "
                + "allowing it into the CDE makes it connected-to and so in scope (PCI DSS 1.3.1, 12.5.2). Name a "
                + "narrower source, or add \"edge-justification: {\(written): <why>}\"")
    }

    static let riskyKinds: Set<ZoneKind> = [.outOfScope, .untrusted, .wireless]
}
