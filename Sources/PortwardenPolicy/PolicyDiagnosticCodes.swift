import PortwardenCore

/// The codes of the policy checks (`policy lint --format json` prints them; stable for scripts and
/// tests). Every problem in a policy file is a Core ``Diagnostic`` with one of these codes and the
/// place it was found: `policy.yaml:14:7: error: service "pg-primary" names zone "cde-dbx", which is
/// not declared`.
extension Diagnostic.Code {
    /// The file could not be opened or read.
    public static let fileUnreadable: Self = "file-unreadable"
    /// The file is larger than `PolicyLimits.maximumBytes`.
    public static let fileTooLarge: Self = "file-too-large"
    /// The file holds nothing but whitespace and comments.
    public static let emptyFile: Self = "empty-file"
    /// The file is not UTF-8 text (invalid bytes, NUL bytes).
    public static let invalidEncoding: Self = "invalid-encoding"
    /// Collections nested deeper than `PolicyLimits.maximumNesting`.
    public static let nestingTooDeep: Self = "nesting-too-deep"
    /// A YAML anchor (`&a`) or alias (`*a`); refused so that alias bombs cannot expand.
    public static let aliasNotAllowed: Self = "alias-not-allowed"
    /// The text is not well-formed YAML.
    public static let yamlSyntax: Self = "yaml-syntax"
    /// The same key appears twice in one mapping.
    public static let duplicateKey: Self = "duplicate-key"
    /// A key the format does not know (usually a typo).
    public static let unknownKey: Self = "unknown-key"
    /// A value of the wrong shape (a mapping where a list is expected, …).
    public static let wrongType: Self = "wrong-type"
    /// A required key is absent or empty.
    public static let missingKey: Self = "missing-key"
    /// `version` is not 1.
    public static let unsupportedVersion: Self = "unsupported-version"
    /// A reference to a zone id that no zone declares.
    public static let undeclaredZone: Self = "undeclared-zone"
    /// Text that should be an address or prefix is not one (`10.0.0.0/33`).
    public static let badPrefix: Self = "bad-prefix"
    /// A prefix with host bits set (`10.0.0.1/24`), probably a typing mistake.
    public static let hostBitsSet: Self = "host-bits-set"
    /// A `ports` entry that is not `tcp/PORT`, `udp/PORT` or `tcp/LOW-HIGH`.
    public static let badPortSpec: Self = "bad-port-spec"
    /// A `ports` list with no entries.
    public static let emptyPorts: Self = "empty-ports"
    /// A service's or exception's host lies outside its zone's prefixes.
    public static let hostOutsideZone: Self = "host-outside-zone"
    /// A CDE zone and a non-CDE zone share addresses (segmentation ambiguity).
    public static let segmentationOverlap: Self = "segmentation-overlap"
    /// Two zones share addresses.
    public static let zoneOverlap: Self = "zone-overlap"
    /// Two zones, services or exceptions with the same id.
    public static let duplicateID: Self = "duplicate-id"
    /// A service or exception without `justification` (PCI DSS 1.2.5, 1.2.6).
    public static let missingJustification: Self = "missing-justification"
    /// A service or exception without `owner` (PCI DSS 1.2.5, 1.1.2).
    public static let missingOwner: Self = "missing-owner"
    /// A service or exception without `approved-by` (PCI DSS 1.2.5).
    public static let missingApprover: Self = "missing-approver"
    /// The approver is the owner (PCI DSS 1.2.5 good practice: an independent approver).
    public static let approverIsOwner: Self = "approver-is-owner"
    /// An exception without `expires` (time-boxed so that each 1.2.7 review re-examines it).
    public static let missingExpiry: Self = "missing-expiry"
    /// A cadence that is not `N days`, `N weeks` or `N months`.
    public static let badCadence: Self = "bad-cadence"
    /// A review cadence looser than six months (PCI DSS 1.2.7).
    public static let reviewTooLoose: Self = "review-too-loose"
    /// A zone review cadence looser than the policy-wide one.
    public static let zoneReviewLooser: Self = "zone-review-looser"
    /// A date that is not a real `YYYY-MM-DD` day.
    public static let badDate: Self = "bad-date"
    /// A zone `kind` outside the known kinds.
    public static let unknownZoneKind: Self = "unknown-zone-kind"
    /// An `entity` other than `merchant` or `service_provider`.
    public static let unknownEntity: Self = "unknown-entity"
    /// A `bind` other than `wildcard`, `address`, `loopback`, `container`.
    public static let unknownBind: Self = "unknown-bind"
    /// An out-of-scope, untrusted or wireless zone, or `any`, in a CDE object's allow-from without
    /// an `edge-justification` (it would pull the source into scope).
    public static let unjustifiedEdgeIntoCDE: Self = "unjustified-edge-into-cde"
    /// An exception without `approved-by` or `approved-on` (PCI DSS 1.2.5).
    public static let missingApproval: Self = "missing-approval"
    /// An exception `rules` entry that is neither an evaluator rule nor a rule-pack id.
    public static let unknownRule: Self = "unknown-rule"
    /// An exception's mitigations name none of the allowed features of its rules.
    public static let mitigationNotAllowed: Self = "mitigation-not-allowed"
    /// An exception that outlives the next six-monthly NSC review.
    public static let exceptionOutlivesReview: Self = "exception-outlives-review"
}
