import PortwardenCore
import Yams

/// Readers for single values: prefixes, dates, cadences, port specs, access sources.
extension PolicyDraftReader {
    mutating func readPrefix(_ text: Located<String>, what: String, context: String) -> Located<Prefix>? {
        guard let parsed = Prefix.parse(text.value) else {
            log.error(
                .badPrefix, at: text.at,
                "\(what) \"\(text.value)\" in \(context) is not an IPv4/IPv6 address or prefix "
                    + "(write it as 10.20.1.0/24 or 2001:db8::/64)")
            return nil
        }
        if parsed.hadHostBits {
            log.warning(
                .hostBitsSet, at: text.at,
                "\(what) \"\(text.value)\" in \(context) has host bits set; it is read as \(parsed.prefix)")
        }
        return Located(value: parsed.prefix, at: text.at)
    }

    mutating func readDate(_ fields: MappingFields, key: String) -> CalendarDay? {
        guard let text = fields.string(key, log: &log) else { return nil }
        guard let day = CalendarDay(text.value) else {
            log.error(
                .badDate, at: text.at,
                "\"\(key)\" in \(fields.context) is \"\(text.value)\", which is not a real date; write YYYY-MM-DD")
            return nil
        }
        return day
    }

    mutating func readCadence(_ fields: MappingFields, key: String, owner: String) -> Located<ReviewCadence>? {
        guard let text = fields.string(key, log: &log) else { return nil }
        guard let cadence = ReviewCadence(text.value) else {
            log.error(
                .badCadence, at: text.at,
                "review cadence \"\(text.value)\" of \(owner) is not understood; write it as \"6 months\", "
                    + "\"12 weeks\" or \"90 days\"")
            return nil
        }
        if cadence.isLooserThanSixMonths {
            log.error(
                .reviewTooLoose, at: text.at,
                "review cadence \"\(text.value)\" of \(owner) is looser than six months; PCI DSS 1.2.7 requires "
                    + "NSC configurations to be reviewed at least every six months")
        }
        return Located(value: cadence, at: text.at)
    }

    mutating func readPorts(_ fields: MappingFields, context: String) -> [PortSpec] {
        guard fields.node("ports") != nil else {
            log.error(
                .missingKey, at: fields.location(of: "ports"), "\(context) has no \"ports\"; list them as [tcp/443]")
            return []
        }
        guard let items = fields.list("ports", log: &log) else { return [] }
        if items.isEmpty {
            log.error(
                .emptyPorts, at: fields.location(of: "ports"),
                "\"ports\" of \(context) is empty; list at least one port such as tcp/443")
        }
        var ports: [PortSpec] = []
        for item in items {
            guard case .scalar(let scalar) = item, !item.isNull else {
                log.error(.wrongType, at: SourceLocation(item), "each port of \(context) must be text such as tcp/443")
                continue
            }
            switch PortSpec.parse(scalar.string.trimmingSpaces) {
            case .success(let spec): ports.append(spec)
            case .failure(let error):
                log.error(.badPortSpec, at: SourceLocation(item), "bad port in \(context): \(error.description)")
            }
        }
        return ports
    }

    mutating func readAllowFrom(_ fields: MappingFields, context: String) -> [Located<AccessSource>] {
        var sources: [Located<AccessSource>] = []
        for text in fields.strings("allow-from", log: &log) {
            if text.value == "any" {
                sources.append(Located(value: .any, at: text.at))
            } else if Self.looksLikeAddress(text.value) {
                if let prefix = readPrefix(text, what: "allow-from entry", context: context) {
                    sources.append(Located(value: .prefix(prefix.value), at: text.at))
                }
            } else {
                sources.append(Located(value: .zone(text.value), at: text.at))
            }
        }
        return sources
    }

    /// Whether text is meant as an address or prefix rather than a zone id.
    static func looksLikeAddress(_ text: String) -> Bool {
        if text.contains("/") || text.contains(":") { return true }
        return !text.isEmpty && text.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) }
    }
}
