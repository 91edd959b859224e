import PortwardenCore

/// One problem found in a policy file, with the place it was found and a message a person can act
/// on: `policy.yaml:14:7: error: service "pg-primary" names zone "cde-dbx", which is not declared`.
public struct PolicyDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Whether the problem stops the policy from loading (`error`) or is only advice (`warning`).
    public enum Level: String, Sendable {
        case error
        case warning
    }

    /// What kind of problem it is: one code per check, stable for scripts and tests.
    public enum Code: String, Sendable, CaseIterable {
        /// The file could not be opened or read.
        case fileUnreadable = "file-unreadable"
        /// The file is larger than `PolicyLimits.maximumBytes`.
        case fileTooLarge = "file-too-large"
        /// The file holds nothing but whitespace and comments.
        case emptyFile = "empty-file"
        /// The file is not UTF-8 text (invalid bytes, NUL bytes).
        case invalidEncoding = "invalid-encoding"
        /// Collections nested deeper than `PolicyLimits.maximumNesting`.
        case nestingTooDeep = "nesting-too-deep"
        /// A YAML anchor (`&a`) or alias (`*a`); refused so that alias bombs cannot expand.
        case aliasNotAllowed = "alias-not-allowed"
        /// The text is not well-formed YAML.
        case yamlSyntax = "yaml-syntax"
        /// The same key appears twice in one mapping.
        case duplicateKey = "duplicate-key"
        /// A key the format does not know (usually a typo).
        case unknownKey = "unknown-key"
        /// A value of the wrong shape (a mapping where a list is expected, …).
        case wrongType = "wrong-type"
        /// A required key is absent or empty.
        case missingKey = "missing-key"
        /// `version` is not 1.
        case unsupportedVersion = "unsupported-version"
        /// A reference to a zone id that no zone declares.
        case undeclaredZone = "undeclared-zone"
        /// Text that should be an address or prefix is not one (`10.0.0.0/33`).
        case badPrefix = "bad-prefix"
        /// A prefix with host bits set (`10.0.0.1/24`), probably a typing mistake.
        case hostBitsSet = "host-bits-set"
        /// A `ports` entry that is not `tcp/PORT`, `udp/PORT` or `tcp/LOW-HIGH`.
        case badPortSpec = "bad-port-spec"
        /// A `ports` list with no entries.
        case emptyPorts = "empty-ports"
        /// A service's or exception's host lies outside its zone's prefixes.
        case hostOutsideZone = "host-outside-zone"
        /// A CDE zone and a non-CDE zone share addresses (segmentation ambiguity).
        case segmentationOverlap = "segmentation-overlap"
        /// Two zones share addresses.
        case zoneOverlap = "zone-overlap"
        /// Two zones, services or exceptions with the same id.
        case duplicateID = "duplicate-id"
        /// A service or exception without `justification` (PCI DSS 1.2.5, 1.2.6).
        case missingJustification = "missing-justification"
        /// A service or exception without `owner` (PCI DSS 1.2.5, 1.1.2).
        case missingOwner = "missing-owner"
        /// A service or exception without `approved-by` (PCI DSS 1.2.5).
        case missingApprover = "missing-approver"
        /// The approver is the owner (PCI DSS 1.2.5 good practice: an independent approver).
        case approverIsOwner = "approver-is-owner"
        /// An exception without `expires` (time-boxed so that each 1.2.7 review re-examines it).
        case missingExpiry = "missing-expiry"
        /// A cadence that is not `N days`, `N weeks` or `N months`.
        case badCadence = "bad-cadence"
        /// A review cadence looser than six months (PCI DSS 1.2.7).
        case reviewTooLoose = "review-too-loose"
        /// A zone review cadence looser than the policy-wide one.
        case zoneReviewLooser = "zone-review-looser"
        /// A date that is not a real `YYYY-MM-DD` day.
        case badDate = "bad-date"
        /// A zone `kind` outside the known kinds.
        case unknownZoneKind = "unknown-zone-kind"
        /// An `entity` other than `merchant` or `service_provider`.
        case unknownEntity = "unknown-entity"
        /// A `bind` other than `wildcard`, `address`, `loopback`, `container`.
        case unknownBind = "unknown-bind"
        /// An out-of-scope, untrusted or wireless zone, or `any`, in a CDE object's allow-from without
        /// an `edge-justification` (it would pull the source into scope).
        case unjustifiedEdgeIntoCDE = "unjustified-edge-into-cde"
        /// An exception without `approved-by` or `approved-on` (PCI DSS 1.2.5).
        case missingApproval = "missing-approval"
        /// An exception `rules` entry that is neither an evaluator rule nor a rule-pack id.
        case unknownRule = "unknown-rule"
        /// An exception's mitigations name none of the allowed features of its rules.
        case mitigationNotAllowed = "mitigation-not-allowed"
        /// An exception that outlives the next six-monthly NSC review.
        case exceptionOutlivesReview = "exception-outlives-review"
    }

    public var level: Level
    public var code: Code
    /// The file name as given to the loader.
    public var file: String
    /// 1-based line; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based column; 0 when the problem concerns the whole file.
    public var column: Int
    public var message: String

    /// Creates a diagnostic.
    public init(level: Level, code: Code, file: String, line: Int, column: Int, message: String) {
        self.level = level
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The problem as the one located diagnostic type; a located problem always has a column.
    public var diagnostic: Diagnostic {
        Diagnostic(
            file: file, line: line, column: line > 0 ? max(column, 1) : 0, level: level == .error ? .error : .warning,
            message: message)
    }

    /// `file:line:column: level: message`, or `file: level: message` when there is no position.
    public var description: String { diagnostic.description }
}
