/// The type of a store column; mapped to each backend's own type by `SQLDialect`.
public enum ColumnType: Sendable {
    case integer
    case real
    case text
    case blob
}

/// One column of a store table.
public struct Column: Sendable {
    public var name: String
    public var type: ColumnType
    public var nullable: Bool

    public init(_ name: String, _ type: ColumnType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}
