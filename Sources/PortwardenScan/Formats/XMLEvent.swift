import PortwardenCore

/// One attribute of an element, its value with entities decoded.
struct XMLAttribute: Hashable, Sendable {
    let name: String
    let value: String
}

/// What ``XMLTokenizer`` reports, in document order. A self-closing element is reported as a
/// `start` immediately followed by its `end`.
enum XMLEvent: Hashable, Sendable {
    case start(name: String, attributes: [XMLAttribute], location: XMLLocation)
    case end(name: String, location: XMLLocation)
    /// Character data or a CDATA section inside the root element (whitespace-only runs are dropped).
    case text(String, location: XMLLocation)
}

extension [XMLAttribute] {
    /// The value of the attribute called `name`, if present.
    subscript(attribute name: String) -> String? {
        first { $0.name == name }?.value
    }
}
