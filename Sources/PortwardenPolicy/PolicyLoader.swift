import PortwardenCore
import Yams

/// Loads a policy file into a `Policy`, reporting every problem with its file, line and column.
///
/// The pipeline: bounded read → byte checks (size, UTF-8, NUL, emptiness, nesting depth, anchors
/// and aliases) → YAML composition (Yams) → reading keys and values → cross-checks. Nothing in it
/// traps on bad input; every problem becomes a `Diagnostic` with a policy check code (`PolicyDiagnosticCodes.swift`).
public enum PolicyLoader {
    /// Reads and validates the policy file at `path`; read errors become diagnostics (line 0).
    /// - Parameters:
    ///   - path: The file to read; diagnostics name it as given.
    ///   - limits: Size and nesting bounds enforced before parsing.
    /// - Returns: The policy (when there are no errors) and every diagnostic, sorted by position.
    public static func load(contentsOf path: String, limits: PolicyLimits = PolicyLimits()) -> PolicyLoadResult {
        var log = DiagnosticLog(file: path)
        switch PolicyFileReader.read(path: path, limit: limits.maximumBytes) {
        case .bytes(let bytes):
            return parse(bytes, file: path, limits: limits)
        case .tooLarge:
            log.error(
                .fileTooLarge, at: .file,
                "the policy file is larger than the limit of \(limits.maximumBytes) bytes; split it or raise the limit")
        case .failed(let reason):
            log.error(.fileUnreadable, at: .file, "cannot read the policy file: \(reason)")
        }
        return PolicyLoadResult(policy: nil, diagnostics: log.items)
    }

    /// Validates policy text.
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - file: The name diagnostics carry.
    ///   - limits: Size and nesting bounds enforced before parsing.
    public static func parse(_ text: String, file: String, limits: PolicyLimits = PolicyLimits()) -> PolicyLoadResult {
        parse(Array(text.utf8), file: file, limits: limits)
    }

    /// Validates policy bytes; invalid UTF-8 and NUL bytes are rejected with their position.
    /// - Parameters:
    ///   - data: The raw file content.
    ///   - file: The name diagnostics carry.
    ///   - limits: Size and nesting bounds enforced before parsing.
    public static func parse(_ data: [UInt8], file: String, limits: PolicyLimits = PolicyLimits()) -> PolicyLoadResult {
        let preflight = YAMLPreflight.check(data, limits: limits, file: file)
        guard preflight.isEmpty else { return PolicyLoadResult(policy: nil, diagnostics: preflight) }
        var log = DiagnosticLog(file: file)
        let text = String(decoding: data, as: UTF8.self)
        guard let root = PolicyYAMLComposer.compose(text, log: &log) else {
            if !log.hasErrors {
                log.error(
                    .emptyFile, at: .file, "the policy file is empty; start it with \"version: 1\" and a list of zones")
            }
            return PolicyLoadResult(policy: nil, diagnostics: log.items)
        }
        if root.isNull {
            log.error(
                .emptyFile, at: .file, "the policy file is empty; start it with \"version: 1\" and a list of zones")
            return PolicyLoadResult(policy: nil, diagnostics: log.items)
        }
        var reader = PolicyDraftReader(log: log)
        reader.read(root)
        var validator = PolicyValidator(draft: reader.draft, log: reader.log)
        validator.validate()
        let policy = validator.log.hasErrors ? nil : reader.draft.makePolicy()
        return PolicyLoadResult(
            policy: policy, diagnostics: validator.log.items, objectLines: reader.draft.objectLines)
    }
}
