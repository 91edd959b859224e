/// A JSON value with the byte offset it starts at, so that problems found while interpreting it
/// can name a line and column of the input.
public indirect enum JSONNode: Sendable {
    case object([(key: String, value: JSONNode)], offset: Int)
    case array([JSONNode], offset: Int)
    case string(String, offset: Int)
    /// A number as written; `integer` reads it when it is an integer.
    case number(String, offset: Int)
    case bool(Bool, offset: Int)
    case null(offset: Int)

    public var offset: Int {
        switch self {
        case .object(_, let o), .array(_, let o), .string(_, let o), .number(_, let o), .bool(_, let o), .null(let o):
            return o
        }
    }

    /// The member named `key` of an object.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members, _) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var string: String? {
        if case .string(let text, _) = self { return text }
        return nil
    }

    public var integer: Int? {
        if case .number(let text, _) = self { return Int(text) }
        return nil
    }

    public var elements: [JSONNode]? {
        if case .array(let items, _) = self { return items }
        return nil
    }

    public var members: [(key: String, value: JSONNode)]? {
        if case .object(let members, _) = self { return members }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type, for messages.
    public var typeName: String {
        switch self {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        }
    }
}
