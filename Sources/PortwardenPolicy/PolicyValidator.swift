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
        for exception in draft.exceptions { checkGrant(exception.grant, kind: "exception", warnOnAnyIntoCDE: true) }
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
            case .any where warnOnAnyIntoCDE && zone?.kind == .cde:
                log.warning(
                    .anyIntoCDE, at: source.at,
                    "\(name) in CDE zone \"\(grant.zone?.value ?? "")\" allows connections from any address; "
                        + "PCI DSS 1.3.1 limits inbound CDE traffic to what is necessary, name the zones or prefixes")
            default:
                break
            }
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
}
