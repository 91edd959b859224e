import PortwardenCore

/// Why a target specification could not be used.
public struct TargetError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the specification.
    public enum Code: String, Sendable, Hashable {
        /// Not an address, prefix or range (host names are not resolved).
        case notAnAddress = "not-an-address"
        /// A prefix length beyond the family's width.
        case prefixLength = "prefix-length"
        /// A range whose end is before its start, or whose ends are of different families.
        case badRange = "bad-range"
        /// The targets expand to more addresses than the limit.
        case tooMany = "too-many"
        /// An `@file` that cannot be read.
        case unreadableFile = "unreadable-file"
        /// An `@file` with no targets in it.
        case emptyFile = "empty-file"
        /// No target specification at all.
        case noTargets = "no-targets"
    }

    /// What was wrong.
    public var code: Code
    /// The offending specification as written.
    public var spec: String
    /// What is wrong with it and how to fix it.
    public var detail: String
    /// The `@file` the specification came from, if any.
    public var file: String?
    /// The 1-based line of `file`, if any.
    public var line: Int?

    /// Creates an error.
    public init(_ code: Code, spec: String, detail: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.spec = spec
        self.detail = detail
        self.file = file
        self.line = line
    }

    /// `targets.txt:3: error: "10.0.0.0/33": prefix length 33 is out of range for IPv4 (0-32)`, the
    /// located diagnostic format when the target came from a file.
    public var description: String {
        let text = spec.isEmpty ? detail : "\"\(spec)\": \(detail)"
        guard let file else { return text }
        return Diagnostic(file: file, line: line ?? 0, message: text).description
    }
}
