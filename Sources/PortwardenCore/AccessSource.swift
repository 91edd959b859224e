/// One entry of an `allow-from` list: who may connect to a service.
public enum AccessSource: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Every address of a declared zone.
    case zone(String)
    /// An address block.
    case prefix(Prefix)
    /// Anyone (`any`). Allowed only outside the CDE without a warning.
    case any

    /// Reads `any`, a prefix or address, or otherwise a zone id.
    public init(_ text: String) {
        if text == "any" {
            self = .any
        } else if let prefix = Prefix(text) {
            self = .prefix(prefix)
        } else {
            self = .zone(text)
        }
    }

    public var description: String {
        switch self {
        case .zone(let id): return id
        case .prefix(let prefix): return prefix.description
        case .any: return "any"
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
