import PortwardenCore

/// The `--vantage ZONE` option of `scan` and `import`: the zone the probes were sent from, which
/// the evaluator needs to judge segmentation (docs/formats.md, Imported formats).
enum VantageOption {
    /// Checks that `vantage` names a zone of `policy` (when a policy is given) and is not empty.
    /// - Throws: an input failure (exit 2) naming the zones the policy declares.
    static func check(_ vantage: String?, in policy: Policy?) throws {
        guard let vantage else { return }
        guard !vantage.isEmpty else { throw CLIFailure.input("--vantage needs a zone id") }
        guard let policy, policy.zone(vantage) == nil else { return }
        throw CLIFailure.input("--vantage \(vantage): the policy declares no such zone (zones: \(zoneList(policy)))")
    }

    /// The policy's zone ids as the vantage messages list them: `corp, cde-db, dmz`.
    static func zoneList(_ policy: Policy) -> String { policy.zones.map(\.id).joined(separator: ", ") }

    /// The warning for a network import without `--vantage`: what the evaluator cannot judge.
    static let missingWarning =
        "portwarden: warning: no --vantage: the observations do not say which zone the scan was run from, so "
        + "segmentation cannot be judged from them: their findings name an unknown vantage and carry no PCI DSS "
        + "1.3.x requirement, and allow-from rules cannot admit them by zone; name the zone with --vantage ZONE"
}
