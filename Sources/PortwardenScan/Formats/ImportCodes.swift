import PortwardenCore

/// The kinds of problem an importer reports. Each record an importer could not use (or used with
/// less detail) is a Core ``Diagnostic`` with one of these codes and where it is, so that a person
/// can find and fix it: `error` when records were lost, `warning` when they were imported with less
/// detail. Importers never stop at the first problem: a malformed record is reported and the rest of
/// the input is still read.
extension Diagnostic.Code {
    /// The document is not well-formed (XML syntax, JSON syntax, a broken line).
    public static let malformed: Self = "malformed"
    /// The input ends in the middle of a record or element.
    public static let truncated: Self = "truncated"
    /// A required attribute or field is missing.
    public static let missingField: Self = "missing-field"
    /// A field holds a value that cannot be used (not an address, not a port, unknown state).
    public static let invalidValue: Self = "invalid-value"
    /// An element appears where the format does not allow it.
    public static let unexpectedElement: Self = "unexpected-element"
    /// The input exceeds a size or depth limit that protects memory.
    public static let limitExceeded: Self = "limit-exceeded"
    /// Collapsed ports (`extraports`) could not be expanded back to port numbers.
    public static let unresolvedPorts: Self = "unresolved-ports"
    /// The records were imported, but with less detail than the input names (collapsed ports
    /// that are closed or filtered without saying which, a missing time).
    public static let imprecise: Self = "imprecise"
}
