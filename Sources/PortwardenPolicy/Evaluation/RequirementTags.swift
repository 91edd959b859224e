import PortwardenCore

/// The one place where a finding's PCI DSS requirement ids and severity are computed from the facts:
/// the zone kind of the host, the zone kind of the vantage and the kind of evidence
/// (`docs/rules.md`, "Requirement ids follow the facts"). Every rule of the evaluator asks here;
/// none carries fixed ids of its own for these cases.
///
/// - Hosts in `out-of-scope`, `untrusted` or `wireless` zones (and hosts outside every zone) carry
///   no PCI DSS claim: their findings are hygiene, `low` (`info` for host-agent evidence alone).
/// - An unknown vantage is reported as unknown: `high`, the note "vantage unknown", no 1.3.x id.
/// - Host-agent evidence alone involves no network control: 2.2.4 only.
/// - 11.4.5 is never a finding's id: a reachable port is what a segmentation test finds, not a
///   failure of the test requirement.
public enum RequirementTags {
    /// The ids an exception may discharge; every other id of a finding stays.
    public static let dischargeable: Set<Requirement> = Set(["1.2.5", "1.2.6", "2.2.4", "2.2.5"].map(Requirement.init))

    /// The note a finding carries when its network evidence came from an unknown vantage.
    public static let vantageUnknown = "vantage unknown"

    /// Whether hosts of a zone kind are in PCI DSS scope as far as the policy says (CDE, connected
    /// or security zones). `nil` is a host outside every declared zone.
    public static func inScope(_ kind: ZoneKind?) -> Bool {
        switch kind {
        case .cde, .connected, .security: return true
        case .outOfScope, .untrusted, .wireless, nil: return false
        }
    }

    /// `PW-UNAUTHORIZED-PORT` (and an expired exception's port, which is judged the same) from one
    /// piece of evidence.
    public static func unauthorizedPort(host: ZoneKind?, evidence: EvidenceKind, vantage: VantageKind) -> Tagging {
        guard inScope(host) else {
            return Tagging(severity: evidence == .hostAgent ? .info : .low, requirements: [])
        }
        if evidence == .hostAgent {
            return Tagging(severity: host == .cde ? .high : .medium, requirements: hostAgentIDs)
        }
        switch vantage {
        case .unknown:
            return Tagging(severity: .high, requirements: reachedIDs, notes: [vantageUnknown])
        case .zone(let from):
            if host == .cde, from != .cde {
                return Tagging(severity: .critical, requirements: reachedCDEIDs)
            }
            return Tagging(severity: .high, requirements: reachedIDs)
        }
    }

    // The id lists of unauthorized ports, built once and shared by every finding (half of a large
    // run's findings carry one of them).
    private static let hostAgentIDs = ids("2.2.4")
    private static let reachedIDs = ids("1.2.5", "2.2.4")
    private static let reachedCDEIDs = ids("1.2.5", "1.3.1", "2.2.4")

    /// `PW-UNAUTHORIZED-PORT` from every piece of evidence of one port: the most severe reading,
    /// with the ids and notes of all readings.
    public static func unauthorizedPort(host: ZoneKind?, observed: [(EvidenceKind, VantageKind)]) -> Tagging {
        if observed.count == 1 {
            return combine(
                CollectionOfOne(unauthorizedPort(host: host, evidence: observed[0].0, vantage: observed[0].1)))
        }
        return combine(observed.map { unauthorizedPort(host: host, evidence: $0.0, vantage: $0.1) })
    }

    /// `PW-SOURCE-NOT-PERMITTED` for a scan from `vantage` that reached a declared port on a host in
    /// a zone of kind `target`, which its allow-from does not permit: tagged by the zone pair.
    public static func sourceNotPermitted(target: ZoneKind?, vantage: VantageKind) -> Tagging {
        guard case .zone(let from) = vantage else {
            if !inScope(target) { return Tagging(severity: .low, requirements: []) }
            return Tagging(severity: .high, requirements: ids("1.2.5"), notes: [vantageUnknown])
        }
        guard inScope(target) else {
            // Egress from the CDE towards a host outside the scope is still the CDE's business (1.3.2).
            if from == .cde { return Tagging(severity: .high, requirements: ids("1.3.2")) }
            return Tagging(severity: .low, requirements: [])
        }
        var requirements = ids("1.2.5")
        if target == .cde, from != .cde { requirements.append(Requirement("1.3.1")) }
        if from == .cde, target != .cde { requirements.append(Requirement("1.3.2")) }
        if from == .wireless, target == .cde { requirements.append(Requirement("1.3.3")) }
        if from == .untrusted { requirements.append(Requirement("1.4.2")) }
        if from == .outOfScope, target == .cde { requirements.append(Requirement("12.5.2")) }
        let severity: Severity = target == .cde && from != .cde ? .critical : .high
        return Tagging(severity: severity, requirements: requirements)
    }

    /// An insecure-service rule's finding on a host in a zone of kind `host`: the rule's ids and
    /// severity in scope, a `low` hygiene finding without ids outside it.
    public static func insecureService(
        requirements: [Requirement], severity: Severity, host: ZoneKind?
    ) -> Tagging {
        guard inScope(host) else { return Tagging(severity: min(severity, .low), requirements: []) }
        return Tagging(severity: severity, requirements: requirements)
    }

    /// A port open only through an expired exception: judged as an unauthorized port (same ids and
    /// severity), plus 2.2.5 and 1.2.6 when an insecure-service rule was confirmed on it.
    public static func expiredException(_ port: Tagging, insecureConfirmed: Bool) -> Tagging {
        guard insecureConfirmed, !port.requirements.isEmpty else { return port }
        var out = port
        for id in ["2.2.5", "1.2.6"] where !out.requirements.contains(Requirement(id)) {
            out.requirements.append(Requirement(id))
        }
        return out
    }

    /// The ids of `tagging` that an exception cannot discharge.
    public static func remaining(after tagging: Tagging) -> [Requirement] {
        tagging.requirements.filter { !dischargeable.contains($0) }
    }

    /// The most severe of several readings, with every id (in first-seen order) and note.
    static func combine(_ readings: some Collection<Tagging>) -> Tagging {
        guard var out = readings.first else { return Tagging(severity: .info, requirements: []) }
        for reading in readings.dropFirst() {
            out.severity = max(out.severity, reading.severity)
            for id in reading.requirements where !out.requirements.contains(id) { out.requirements.append(id) }
            for note in reading.notes where !out.notes.contains(note) { out.notes.append(note) }
        }
        if !isCanonical(out.requirements) { out.requirements = canonicalOrder(out.requirements) }
        return out
    }

    /// Requirement ids in the order the evaluator writes them: 1.2.5 first, then numeric order.
    static func canonicalOrder(_ ids: [Requirement]) -> [Requirement] {
        ids.sorted(by: canonicallyPrecedes)
    }

    /// Whether the ids are already in ``canonicalOrder(_:)`` (sorting is then skipped, and the
    /// shared list kept).
    static func isCanonical(_ ids: [Requirement]) -> Bool {
        ids.indices.dropFirst().allSatisfy { !canonicallyPrecedes(ids[$0], ids[$0 - 1]) }
    }

    private static func canonicallyPrecedes(_ a: Requirement, _ b: Requirement) -> Bool {
        if a.id == "1.2.5" || b.id == "1.2.5" { return a.id == "1.2.5" && b.id != "1.2.5" }
        return a < b
    }

    private static func ids(_ values: String...) -> [Requirement] { values.map(Requirement.init) }
}

/// The requirement ids and severity of one finding, and the qualifiers its message must carry.
public struct Tagging: Sendable, Hashable {
    /// How urgent the finding is.
    public var severity: Severity
    /// The PCI DSS v4.0.1 ids it evidences; empty for a hygiene finding.
    public var requirements: [Requirement]
    /// Qualifiers the message states (`vantage unknown`).
    public var notes: [String]

    /// Creates a tagging.
    public init(severity: Severity, requirements: [Requirement], notes: [String] = []) {
        self.severity = severity
        self.requirements = requirements
        self.notes = notes
    }
}

/// The kind of evidence behind a finding.
public enum EvidenceKind: String, Sendable, Hashable, CaseIterable {
    /// A network scan from a vantage (source `scan`, or flow logs).
    case networkScan = "network scan"
    /// The host's own listener inventory (source `host`, or an imported ss/osquery listener list,
    /// recognisable by its bind scope).
    case hostAgent = "host agent"
    /// An imported network scan (nmap, masscan): network evidence from the vantage it names.
    case networkImport = "import"

    /// The kind of an observation's evidence.
    public init(source: ObservationSource, bind: BindScope?) {
        switch source {
        case .host: self = .hostAgent
        case .import: self = bind == nil ? .networkImport : .hostAgent
        case .scan, .flow: self = .networkScan
        }
    }

    /// Whether the evidence crossed the network (and so tested a network security control).
    public var isNetwork: Bool { self != .hostAgent }
}

/// Where network evidence came from, as far as the policy can tell.
public enum VantageKind: Hashable, Sendable {
    /// A declared zone of this kind.
    case zone(ZoneKind)
    /// No vantage recorded, or one no declared zone matches.
    case unknown
}
