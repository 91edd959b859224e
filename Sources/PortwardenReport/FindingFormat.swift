import PortwardenCore

/// The machine and human formats of `portwarden check --format`.
public enum FindingFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal, a fix under each finding, counts at the end.
    case text
    /// One finding object per line (JSON Lines).
    case json
    /// SARIF 2.1.0, for code-scanning dashboards.
    case sarif
    /// JUnit XML, for CI test reports.
    case junit
}
