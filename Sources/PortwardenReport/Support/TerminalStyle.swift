import PortwardenCore

/// ANSI styling for terminal output; a no-op when colour is off, so callers never branch.
struct TerminalStyle: Sendable {
    let color: Bool

    /// `text` in the colour of `severity` (critical bold red, high red, medium yellow, low cyan,
    /// info dim).
    func severity(_ severity: Severity, _ text: String) -> String {
        switch severity {
        case .critical: return wrap(text, "1;31")
        case .high: return wrap(text, "31")
        case .medium: return wrap(text, "33")
        case .low: return wrap(text, "36")
        case .info: return wrap(text, "2")
        }
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func clear(_ text: String) -> String { wrap(text, "1;32") }
    func fail(_ text: String) -> String { wrap(text, "1;31") }

    private func wrap(_ text: String, _ code: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
