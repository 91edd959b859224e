import PortwardenCore
import Yams

/// A 1-based position in the policy text.
struct SourceLocation: Hashable, Sendable {
    var line: Int
    var column: Int

    /// The position of the whole file (no line).
    static let file = SourceLocation(line: 0, column: 0)

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: Mark?) {
        self.line = mark?.line ?? 0
        self.column = mark?.column ?? 0
    }

    init(_ node: Node) {
        self.init(node.mark)
    }
}

/// A value read from the policy, with where it was written.
struct Located<Value> {
    var value: Value
    var at: SourceLocation
}

extension Located: Sendable where Value: Sendable {}

/// Collects the diagnostics of one load.
struct DiagnosticLog {
    let file: String
    private(set) var items: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    mutating func error(_ code: Diagnostic.Code, at location: SourceLocation, _ message: String) {
        add(.error, code, at: location, message)
    }

    mutating func warning(_ code: Diagnostic.Code, at location: SourceLocation, _ message: String) {
        add(.warning, code, at: location, message)
    }

    mutating func add(
        _ level: Diagnostic.Level, _ code: Diagnostic.Code, at location: SourceLocation, _ message: String
    ) {
        // A located problem always has a column.
        items.append(
            Diagnostic(
                file: file, line: location.line, column: location.line > 0 ? max(location.column, 1) : 0,
                level: level, code: code, message: message))
    }

    mutating func append(contentsOf other: [Diagnostic]) {
        items.append(contentsOf: other)
    }

    var hasErrors: Bool { items.contains { $0.level == .error } }
}
