/// One value read from or written to a store table, the same for both backends.
public enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The integer, when this is one.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The text, when this is text.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The bytes, when this is a blob.
    public var blob: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    /// The number, when this is a real.
    public var real: Double? {
        if case .real(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// A value from an optional string.
    public static func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }

    /// A value from an optional integer.
    public static func optional(_ number: Int64?) -> SQLValue { number.map { .integer($0) } ?? .null }
}

extension SQLValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "null"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return "\"\(value)\""
        case .blob(let value): return "x'" + Hex.encode(value) + "'"
        }
    }
}
