import PortwardenCore
import Yams

/// Readers for `services` and `exceptions` entries.
extension PolicyDraftReader {
    static let serviceKeys = [
        "id", "zone", "hosts", "ports", "process", "bind", "allow-from", "edge-justification", "justification", "owner",
        "approved-by", "approved-on", "ticket", "description",
    ]
    static let exceptionKeys = [
        "id", "zone", "hosts", "ports", "allow-from", "edge-justification", "rules", "justification", "mitigations",
        "owner", "approved-by", "approved-on", "ticket", "expires", "description", "compensating-control",
        "customized-approach",
    ]

    mutating func readService(_ node: Node, index: Int) {
        let context = Self.peekID(node).map { "service \"\($0)\"" } ?? "service #\(index + 1)"
        guard let fields = MappingFields(node, allowed: Self.serviceKeys, context: context, log: &log) else { return }
        let grant = readGrant(fields, context: context)
        var service = ServiceDraft(grant: grant)
        service.process = fields.string("process", log: &log)?.value
        service.description = fields.string("description", log: &log)?.value
        if let bind = fields.string("bind", log: &log) {
            service.bind = BindScope(rawValue: bind.value)
            if service.bind == nil {
                let valid = BindScope.allCases.map(\.rawValue)
                log.error(
                    .unknownBind, at: bind.at,
                    "unknown bind \"\(bind.value)\" in \(context)\(Suggestion.hint(for: bind.value, among: valid)); "
                        + "valid values: \(valid.joined(separator: ", "))")
            }
        }
        requireAccountability(grant, fields: fields, context: context, level: .error)
        draft.services.append(service)
    }

    mutating func readException(_ node: Node, index: Int) {
        let context = Self.peekID(node).map { "exception \"\($0)\"" } ?? "exception #\(index + 1)"
        guard let fields = MappingFields(node, allowed: Self.exceptionKeys, context: context, log: &log) else { return }
        let grant = readGrant(fields, context: context)
        var exception = ExceptionDraft(grant: grant)
        let rules = fields.strings("rules", log: &log)
        exception.rules = rules.map(\.value)
        exception.rulesAt = rules.map(\.at)
        exception.mitigations = fields.strings("mitigations", log: &log).map(\.value)
        exception.expires = readDate(fields, key: "expires")
        exception.expiresAt = fields.contains("expires") ? fields.location(of: "expires") : nil
        exception.description = fields.string("description", log: &log)?.value
        exception.compensatingControl = fields.string("compensating-control", log: &log)?.value
        exception.customizedApproach = fields.string("customized-approach", log: &log)?.value
        if !fields.contains("expires") || fields.node("expires") == nil {
            log.error(
                .missingExpiry, at: fields.location(of: "expires"),
                "\(context) has no \"expires\" date; exceptions are time-boxed so that every six-monthly NSC review "
                    + "(PCI DSS 1.2.7) re-examines them, add \"expires: YYYY-MM-DD\"")
        }
        requireAccountability(grant, fields: fields, context: context, level: .warning)
        if grant.approvedBy == nil || grant.approvedOn == nil {
            let missing = [
                grant.approvedBy == nil ? "\"approved-by\"" : nil, grant.approvedOn == nil ? "\"approved-on\"" : nil,
            ]
            .compactMap { $0 }.joined(separator: " and ")
            log.error(
                .missingApproval, at: fields.location(of: grant.approvedBy == nil ? "approved-by" : "approved-on"),
                "\(context) has no \(missing); an exception discharges nothing until it names who approved it and when "
                    + "(PCI DSS 1.2.5)")
        }
        draft.exceptions.append(exception)
    }

    private mutating func readGrant(_ fields: MappingFields, context: String) -> GrantDraft {
        var grant = GrantDraft(at: fields.at)
        grant.id = requiredString(fields, "id", context: context)
        grant.zone = requiredString(fields, "zone", context: context)
        grant.hosts = fields.strings("hosts", log: &log).compactMap { readPrefix($0, what: "host", context: context) }
        grant.ports = readPorts(fields, context: context)
        grant.allowFrom = readAllowFrom(fields, context: context)
        grant.justification = fields.string("justification", log: &log)?.value
        grant.owner = fields.string("owner", log: &log)
        grant.approvedBy = fields.string("approved-by", log: &log)
        grant.approvedOn = readDate(fields, key: "approved-on")
        grant.approvedOnAt = fields.contains("approved-on") ? fields.location(of: "approved-on") : nil
        grant.ticket = fields.string("ticket", log: &log)?.value
        grant.edgeJustifications = readEdgeJustifications(fields, context: context)
        return grant
    }

    /// Justification is always required; owner and approver are errors for services and warnings
    /// for exceptions; an approver equal to the owner is a warning (PCI DSS 1.1.2).
    private mutating func requireAccountability(
        _ grant: GrantDraft, fields: MappingFields, context: String, level: Diagnostic.Level
    ) {
        if grant.justification == nil {
            log.error(
                .missingJustification, at: fields.location(of: "justification"),
                "\(context) has no \"justification\"; every allowed port needs a documented business need "
                    + "(PCI DSS 1.2.5)")
        }
        if grant.owner == nil {
            log.add(
                level, .missingOwner, at: fields.location(of: "owner"),
                "\(context) has no \"owner\"; name the team responsible for it (PCI DSS 1.2.5, 1.1.2)")
        }
        if grant.approvedBy == nil, level == .error {
            log.add(
                level, .missingApprover, at: fields.location(of: "approved-by"),
                "\(context) has no \"approved-by\"; record who approved it (PCI DSS 1.2.5)")
        }
        if let owner = grant.owner, let approver = grant.approvedBy,
            owner.value.lowercased() == approver.value.lowercased()
        {
            log.warning(
                .approverIsOwner, at: approver.at,
                "\(context) is approved by its own owner \"\(owner.value)\"; the approver should be independent of "
                    + "the owner (PCI DSS 1.2.5 good practice)")
        }
    }

    /// `edge-justification: {corp: "why"}`: a justification per allow-from entry, keyed as written.
    private mutating func readEdgeJustifications(_ fields: MappingFields, context: String) -> [String: String] {
        guard let node = fields.node("edge-justification") else { return [:] }
        guard case .mapping(let mapping) = node else {
            log.error(
                .wrongType, at: fields.location(of: "edge-justification"),
                "\"edge-justification\" in \(context) must be a mapping from an allow-from entry to its justification")
            return [:]
        }
        var out: [String: String] = [:]
        for (key, value) in mapping {
            guard case .scalar(let name) = key, case .scalar(let text) = value,
                !text.string.allSatisfy(\.isWhitespace)
            else {
                log.error(
                    .wrongType, at: SourceLocation(key),
                    "each \"edge-justification\" entry of \(context) maps an allow-from entry to a non-empty text")
                continue
            }
            out[name.string] = text.string
        }
        return out
    }
}
