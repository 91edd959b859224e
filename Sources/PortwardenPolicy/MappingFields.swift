import PortwardenCore
import Yams

/// The keys of one YAML mapping in the policy, checked against the keys the format allows, with
/// typed accessors that report wrong shapes instead of failing.
struct MappingFields {
    /// What the mapping is, for messages: `service "pg-primary"`, `zone #2`, `the policy`.
    let context: String
    let at: SourceLocation
    private var values: [String: (key: Node, value: Node)] = [:]

    /// Reads `node` as a mapping; reports a wrong type and returns `nil` when it is not one.
    init?(_ node: Node, allowed: [String], context: String, log: inout DiagnosticLog) {
        self.context = context
        self.at = SourceLocation(node)
        guard case .mapping(let mapping) = node else {
            log.error(
                .wrongType, at: SourceLocation(node), "\(context) must be a mapping (key: value), not \(node.kindName)")
            return nil
        }
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                log.error(
                    .wrongType, at: SourceLocation(key), "a key in \(context) must be a plain name, not \(key.kindName)"
                )
                continue
            }
            let name = scalar.string
            if name.hasSuffix(PolicyYAMLComposer.duplicateMarker) { continue }
            guard allowed.contains(name) else {
                let hint =
                    Suggestion.closest(to: name, among: allowed).map { "did you mean \"\($0)\"?" }
                    ?? "valid keys: " + allowed.joined(separator: ", ")
                log.error(.unknownKey, at: SourceLocation(key), "unknown key \"\(name)\" in \(context) (\(hint))")
                continue
            }
            values[name] = (key, value)
        }
    }

    /// The value node of `key`, unless absent or null.
    func node(_ key: String) -> Node? {
        guard let value = values[key]?.value, !value.isNull else { return nil }
        return value
    }

    /// Where `key` was written (its key node), or the mapping's position.
    func location(of key: String) -> SourceLocation {
        values[key].map { SourceLocation($0.key) } ?? at
    }

    /// Whether `key` was written, even with a null value.
    func contains(_ key: String) -> Bool { values[key] != nil }

    /// The text of a scalar value; reports a wrong type for a collection. Empty text counts as absent.
    func string(_ key: String, log: inout DiagnosticLog) -> Located<String>? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value else {
            log.error(
                .wrongType, at: SourceLocation(value), "\"\(key)\" in \(context) must be text, not \(value.kindName)")
            return nil
        }
        let text = scalar.string.trimmingSpaces
        return text.isEmpty ? nil : Located(value: text, at: SourceLocation(value))
    }

    /// The items of a list value; reports a wrong type for a mapping or a scalar.
    func list(_ key: String, log: inout DiagnosticLog) -> [Node]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let sequence) = value else {
            let example = key == "ports" ? " such as [tcp/443]" : ""
            log.error(
                .wrongType, at: SourceLocation(value),
                "\"\(key)\" in \(context) must be a list\(example), not \(value.kindName)")
            return nil
        }
        return Array(sequence)
    }

    /// The texts of a list of scalars; reports each item that is not a scalar.
    func strings(_ key: String, log: inout DiagnosticLog) -> [Located<String>] {
        guard let items = list(key, log: &log) else { return [] }
        var result: [Located<String>] = []
        for item in items {
            guard case .scalar(let scalar) = item else {
                log.error(
                    .wrongType, at: SourceLocation(item),
                    "each item of \"\(key)\" in \(context) must be text, not \(item.kindName)")
                continue
            }
            let text = scalar.string.trimmingSpaces
            if !text.isEmpty { result.append(Located(value: text, at: SourceLocation(item))) }
        }
        return result
    }
}

extension Node {
    /// `a mapping`, `a list`, `text`: for messages.
    var kindName: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return isNull ? "an empty value" : "text"
        case .alias: return "an alias"
        }
    }

    /// Whether this is a plain `null`, `~` or empty scalar.
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
