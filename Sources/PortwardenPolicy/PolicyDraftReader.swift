import PortwardenCore
import Yams

/// Reads a composed YAML document into a `PolicyDraft`, reporting every local problem (unknown
/// keys, wrong types, missing keys, bad values). Cross-references are `PolicyValidator`'s job.
struct PolicyDraftReader {
    static let topLevelKeys = ["version", "organization", "entity", "review", "zones", "services", "exceptions"]
    static let reviewKeys = ["every", "last"]
    static let zoneKeys = ["id", "kind", "prefixes", "owner", "description", "review"]

    var log: DiagnosticLog
    var draft = PolicyDraft()

    init(log: DiagnosticLog) {
        self.log = log
    }

    mutating func read(_ root: Node) {
        guard let fields = MappingFields(root, allowed: Self.topLevelKeys, context: "the policy", log: &log) else {
            return
        }
        readVersion(fields)
        draft.organization = fields.string("organization", log: &log)?.value
        if let entity = fields.string("entity", log: &log) {
            if let value = EntityType(rawValue: entity.value) {
                draft.entity = value
            } else {
                log.error(
                    .unknownEntity, at: entity.at,
                    "unknown entity \"\(entity.value)\"\(Suggestion.hint(for: entity.value, among: ["merchant", "service_provider"])); "
                        + "valid values: merchant, service_provider")
            }
        }
        if let review = fields.node("review") { readReview(review) }
        if let zones = fields.list("zones", log: &log) {
            for (index, node) in zones.enumerated() { readZone(node, index: index) }
            if zones.isEmpty {
                log.error(
                    .missingKey, at: fields.location(of: "zones"), "the policy declares no zones; list at least one")
            }
        } else if fields.node("zones") == nil {
            log.error(
                .missingKey, at: fields.location(of: "zones"),
                "the policy declares no zones; add \"zones:\" with at least one zone")
        }
        if let services = fields.list("services", log: &log) {
            for (index, node) in services.enumerated() { readService(node, index: index) }
        }
        if let exceptions = fields.list("exceptions", log: &log) {
            for (index, node) in exceptions.enumerated() { readException(node, index: index) }
        }
    }

    private mutating func readVersion(_ fields: MappingFields) {
        guard let version = fields.string("version", log: &log) else {
            if !fields.contains("version") || fields.node("version") == nil {
                log.error(
                    .missingKey, at: fields.location(of: "version"), "the policy has no \"version\"; add \"version: 1\""
                )
            }
            return
        }
        guard let number = Int(version.value), number == 1 else {
            log.error(
                .unsupportedVersion, at: version.at,
                "policy format version \"\(version.value)\" is not supported; this Portwarden reads \"version: 1\"")
            return
        }
        draft.version = number
    }

    private mutating func readReview(_ node: Node) {
        guard let fields = MappingFields(node, allowed: Self.reviewKeys, context: "\"review\"", log: &log) else {
            return
        }
        draft.reviewAt = fields.at
        if let every = readCadence(fields, key: "every", owner: "the policy") {
            draft.review.every = every.value
            draft.reviewAt = every.at
        }
        draft.review.last = readDate(fields, key: "last")
    }

    private mutating func readZone(_ node: Node, index: Int) {
        let provisional = "zone #\(index + 1)"
        let id = Self.peekID(node)
        let context = id.map { "zone \"\($0)\"" } ?? provisional
        guard let fields = MappingFields(node, allowed: Self.zoneKeys, context: context, log: &log) else { return }
        var zone = ZoneDraft(at: fields.at)
        zone.id = requiredString(fields, "id", context: context)
        if let kind = requiredString(fields, "kind", context: context) {
            zone.kind = ZoneKind(rawValue: kind.value)
            if zone.kind == nil {
                let valid = ZoneKind.allCases.map(\.rawValue)
                log.error(
                    .unknownZoneKind, at: kind.at,
                    "unknown zone kind \"\(kind.value)\" in \(context)\(Suggestion.hint(for: kind.value, among: valid)); "
                        + "valid kinds: \(valid.joined(separator: ", "))")
            }
        }
        let prefixes = fields.strings("prefixes", log: &log)
        if prefixes.isEmpty {
            log.error(
                .missingKey, at: fields.location(of: "prefixes"),
                "\(context) has no \"prefixes\"; list its address blocks")
        }
        zone.prefixes = prefixes.compactMap { readPrefix($0, what: "prefix", context: context) }
        zone.owner = fields.string("owner", log: &log)?.value
        zone.description = fields.string("description", log: &log)?.value
        if let review = fields.node("review") {
            if case .mapping = review {
                if let inner = MappingFields(review, allowed: ["every"], context: "\"review\" of \(context)", log: &log)
                {
                    zone.review = readCadence(inner, key: "every", owner: context)
                }
            } else {
                zone.review = readCadence(fields, key: "review", owner: context)
            }
        }
        draft.zones.append(zone)
    }

    /// The `id` of a mapping node, for naming it in messages before it is read.
    static func peekID(_ node: Node) -> String? {
        guard case .mapping(let mapping) = node, let value = mapping["id"], case .scalar(let scalar) = value else {
            return nil
        }
        let text = scalar.string.trimmingSpaces
        return text.isEmpty ? nil : text
    }

    mutating func requiredString(_ fields: MappingFields, _ key: String, context: String) -> Located<String>? {
        if let value = fields.string(key, log: &log) { return value }
        if fields.node(key) == nil {
            log.error(.missingKey, at: fields.location(of: key), "\(context) has no \"\(key)\"")
        }
        return nil
    }
}
