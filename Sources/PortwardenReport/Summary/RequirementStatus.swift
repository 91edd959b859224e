import PortwardenCore
import PortwardenPolicy

/// What a run says about each PCI DSS requirement it touches: findings, evidence present, or not
/// evidenced by this tool. Never "pass" or "compliant": a tool cannot state compliance.
public struct RequirementStatus: Sendable, Hashable {
    /// The three things a report may say about a requirement.
    public enum State: String, Sendable, Hashable {
        /// At least one finding carries the id.
        case findings
        /// The run holds evidence for the requirement and no finding against it.
        case evidencePresent = "evidence present"
        /// The tool produces no evidence for it (in this run or at all).
        case notEvidenced = "not evidenced by this tool"
    }

    public var requirement: Requirement
    public var state: State
    /// What the findings are, what the evidence is, or why the tool cannot evidence it.
    public var detail: String

    /// Requirements the tool can evidence when the run holds the right observations.
    static let evidenced = ["1.2.5", "1.2.6", "1.2.7", "1.3.1", "1.3.2", "2.2.4", "2.2.5", "2.2.7", "8.3.1", "8.3.2"]

    /// Requirements an assessor asks about that this tool does not evidence, with the reason.
    static let notEvidencedReasons: [(String, String)] = [
        ("1.2.1", "NSC rulesets are not read back and compared with the configuration standard"),
        ("1.2.8", "NSC configuration files are not inspected"),
        ("10.2.1", "audit logging of system components (most of Requirement 10) is not examined"),
        ("11.4.5", "segmentation tests need a qualified, organizationally independent tester; scans here support it"),
        ("11.5.1", "intrusion detection and prevention are not examined"),
        ("12.5.2", "scope confirmation is a documented review, not a scan result"),
    ]

    /// What a service provider is asked about besides (reference/pci-dss.md §0 item 7), not evidenced here.
    /// 10.7.1 is not listed: it was superseded by 10.7.2 for all entities (§0 item 6).
    static let serviceProviderReasons: [String: String] = [
        "11.4.6": "service providers: segmentation tests every 6 months need a qualified, organizationally "
            + "independent tester; scans here support it",
        "12.4.2": "service providers: the quarterly check by someone other than the task owner is an attestation, "
            + "not a scan result",
        "12.5.2.1": "service providers: scope confirmation every 6 months is a documented review, not a scan result",
    ]

    /// The requirements an assessor asks about that this tool does not evidence, for the policy's entity type.
    static func notEvidenced(for entity: EntityType) -> [(String, String)] {
        let extra = (entity.segmentationTestRequirements + entity.providerOnlyRequirements).compactMap { id in
            serviceProviderReasons[id.id].map { (id.id, $0) }
        }
        return notEvidencedReasons + extra
    }

    /// The status of every requirement the findings carry, the tool can evidence, or an assessor
    /// asks about; in requirement order.
    public static func table(_ context: AuditContext) -> [RequirementStatus] {
        var byID: [Requirement: [Finding]] = [:]
        for finding in context.findings {
            for id in finding.requirements { byID[id, default: []].append(finding) }
        }
        let reasons = notEvidenced(for: context.policy.entity)
        var ids = Set(byID.keys).union(evidenced.map(Requirement.init))
        ids.formUnion(reasons.map { Requirement($0.0) })
        return ids.sorted().map { id in
            if let findings = byID[id] {
                let rules = Array(Set(findings.map(\.rule))).sorted()
                return RequirementStatus(
                    requirement: id, state: .findings,
                    detail: "\(TextLayout.plural(findings.count, "finding")) (\(rules.joined(separator: ", ")))")
            }
            if let evidence = evidence(for: id.id, context) {
                return RequirementStatus(requirement: id, state: .evidencePresent, detail: evidence)
            }
            let reason = reasons.first { $0.0 == id.id }?.1 ?? "this run holds no observation that bears on it"
            return RequirementStatus(requirement: id, state: .notEvidenced, detail: reason)
        }
    }

    private static func evidence(for id: String, _ context: AuditContext) -> String? {
        let observations = context.observations
        let network = observations.filter { EvidenceKind(source: $0.source, bind: $0.bind).isNetwork }
        let agent = observations.count - network.count
        let detected = observations.filter { $0.handshakes != nil || $0.tls != nil }.count
        let zones = ZoneLookup(context.policy)
        switch id {
        case "1.2.5":
            guard !observations.isEmpty else { return nil }
            return "\(TextLayout.plural(context.policy.services.count, "declared service")) and "
                + "\(TextLayout.plural(context.policy.exceptions.count, "exception")) (the 1.2.5 table) held against "
                + "\(TextLayout.plural(observations.count, "observation"))"
        case "1.2.7":
            guard let last = context.policy.review.last else { return nil }
            return "last NSC review recorded on \(last), every \(context.policy.review.every)"
        case "1.3.1":
            let count = network.filter { zones.isCDE($0.host) && !zones.isCDEVantage($0) }.count
            return count == 0 ? nil : "\(TextLayout.plural(count, "probe result")) from outside the CDE into CDE hosts"
        case "1.3.2":
            let count = network.filter { !zones.isCDE($0.host) && zones.isCDEVantage($0) }.count
            return count == 0 ? nil : "\(TextLayout.plural(count, "probe result")) from the CDE to hosts outside it"
        case "2.2.4":
            guard agent > 0 || !network.isEmpty else { return nil }
            // The count is what the network scan found open: a run that found nothing open must
            // not read as if it had seen open ports.
            let open = network.filter { $0.state == .open }.count
            return agent > 0
                ? "host listener inventory: \(TextLayout.plural(agent, "listener observation"))"
                : "network scan only (no host listener inventory): \(TextLayout.plural(open, "port")) found open"
        case "1.2.6", "2.2.5", "2.2.7", "8.3.1", "8.3.2":
            return detected == 0
                ? nil : "service detection (handshakes, TLS versions) on \(TextLayout.plural(detected, "port"))"
        default:
            return nil
        }
    }
}

/// Zone membership for report-side questions.
struct ZoneLookup {
    let table: PrefixTable<Int>
    let zones: [Zone]

    init(_ policy: Policy) {
        zones = policy.zones
        table = PrefixTable(policy.zones.enumerated().flatMap { index, zone in zone.prefixes.map { ($0, index) } })
    }

    func zone(of address: IPAddress) -> Zone? { table[address].map { zones[$0] } }

    func isCDE(_ address: IPAddress) -> Bool { zone(of: address)?.isCDE ?? false }

    /// Whether a network observation came from the CDE (its source address's zone, else its label).
    func isCDEVantage(_ observation: Observation) -> Bool {
        if let source = observation.sourceAddress, let zone = zone(of: source) { return zone.isCDE }
        return zones.first { $0.id == observation.vantage }?.isCDE ?? false
    }
}
