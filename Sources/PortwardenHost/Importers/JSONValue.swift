/// A parsed JSON value, for importers whose input shape varies (osquery result logs).
enum JSONValue: Hashable, Sendable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let value = try? c.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? c.decode(Double.self) {
            self = .number(value)
        } else if let value = try? c.decode(String.self) {
            self = .string(value)
        } else if let value = try? c.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// The member `key` of an object.
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// A string, or a number written as text.
    var text: String? {
        switch self {
        case .string(let value): return value
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): return String(value)
        default: return nil
        }
    }

    /// An integer from a number or a numeric string (osquery writes both).
    var integer: Int64? {
        switch self {
        case .number(let value): return value == value.rounded() && abs(value) < 9e15 ? Int64(value) : nil
        case .string(let value): return Int64(value)
        default: return nil
        }
    }

    /// The elements of an array.
    var elements: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}
