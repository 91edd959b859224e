import PortwardenCore

/// A position in a text document: 1-based line and 1-based column counted in bytes.
struct XMLLocation: Hashable, Sendable, CustomStringConvertible {
    var line: Int
    var column: Int

    var description: String { "\(line):\(column)" }
}

/// Why ``XMLTokenizer`` stopped: the document is not well-formed, ends early or exceeds a limit.
struct XMLSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    enum Code: Hashable, Sendable {
        /// Broken syntax: a bad name, a missing quote, a mismatched end tag, a bad entity.
        case malformed
        /// The bytes end inside markup or with elements still open.
        case truncated
        /// A depth, count or size limit of ``XMLLimits`` was reached.
        case limitExceeded
    }

    let code: Code
    let location: XMLLocation
    let message: String

    var description: String { "\(location): \(message)" }
}

/// Bounds that keep hostile input from using unbounded memory or stack.
///
/// The defaults are far above anything nmap or masscan write (nmap nests six elements deep and its
/// longest attribute, a service fingerprint or script output, stays within a few kilobytes).
struct XMLLimits: Hashable, Sendable {
    /// Maximum element nesting depth.
    var maxDepth = 64
    /// Maximum length of an element or attribute name, in bytes.
    var maxNameBytes = 256
    /// Maximum number of attributes on one element.
    var maxAttributes = 64
    /// Maximum length of one attribute value or one run of text, in bytes (before entity decoding).
    var maxValueBytes = 1 << 20
    /// Maximum length of one comment, processing instruction, CDATA section or DOCTYPE, in bytes.
    var maxMarkupBytes = 1 << 20

    static let standard = XMLLimits()
}
