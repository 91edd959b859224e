import PortwardenCore

/// What one probe of a segmentation test showed, measured against what the policy expects.
public enum ProbeVerdict: String, Hashable, Sendable, Codable, CaseIterable {
    /// An allowed edge: the connection was accepted.
    case connected
    /// An allowed edge: the network let the probe through, but nothing listens (closed).
    case reachedClosed = "reached-closed"
    /// An allowed edge the network filtered (a declared flow is blocked).
    case blocked
    /// Not allowed, and filtered: the segmentation control held.
    case filtered
    /// Not allowed, UDP silence: consistent with filtering, not proof of it.
    case silent
    /// Not allowed, but the target answered (open or closed): the segmentation control let it through.
    case breach
    /// An allowed UDP edge that stayed silent: neither proof of reach nor of blocking.
    case inconclusive
}

/// The expected-vs-observed count for one target zone and transport.
public struct SegmentationMatrixRow: Hashable, Sendable, Codable {
    public var targetZone: String
    public var targetKind: ZoneKind
    public var transport: Transport
    public var hosts: Int
    public var probes: Int
    /// Probes of declared edges, and how they ended.
    public var expectedAllowed: Int
    public var connected: Int
    public var reachedClosed: Int
    public var blocked: Int
    public var inconclusive: Int
    /// Probes that must be filtered, and how they ended.
    public var expectedFiltered: Int
    public var filtered: Int
    public var silent: Int
    public var breaches: Int

    /// Adds one probe's verdict to the counts.
    mutating func count(_ verdict: ProbeVerdict) {
        switch verdict {
        case .connected, .reachedClosed, .blocked, .inconclusive: expectedAllowed += 1
        case .filtered, .silent, .breach: expectedFiltered += 1
        }
        switch verdict {
        case .connected: connected += 1
        case .reachedClosed: reachedClosed += 1
        case .blocked: blocked += 1
        case .inconclusive: inconclusive += 1
        case .filtered: filtered += 1
        case .silent: silent += 1
        case .breach: breaches += 1
        }
    }

    enum CodingKeys: String, CodingKey {
        case targetZone = "target_zone"
        case targetKind = "target_kind"
        case transport, hosts, probes
        case expectedAllowed = "expected_allowed"
        case connected
        case reachedClosed = "reached_closed"
        case blocked, inconclusive
        case expectedFiltered = "expected_filtered"
        case filtered, silent, breaches
    }
}

/// A segmentation test's outcome: every probe judged, the matrix, and the findings.
public struct SegmentationResult: Sendable {
    public let plan: SegmentationPlan
    /// Per probe: the observation and its verdict, in host, transport, port order.
    public let probes: [(observation: Observation, verdict: ProbeVerdict, flow: String?)]
    public let matrix: [SegmentationMatrixRow]
    public let findings: [Finding]
    /// Breach findings beyond the per-run cap are counted here instead of listed.
    public let breachesNotListed: Int

    /// The most breach findings listed one by one; the rest are counted.
    public static let maximumListedBreaches = 256

    /// Judges the observations of the test's scans.
    public init(plan: SegmentationPlan, observations: [Observation]) {
        self.plan = plan
        var probes: [(Observation, ProbeVerdict, String?)] = []
        probes.reserveCapacity(observations.count)
        for observation in observations {
            let flow = plan.allowingFlow(
                host: observation.host, transport: observation.transport, port: observation.port)
            probes.append((observation, Self.verdict(observation, allowed: flow != nil), flow?.origin.id))
        }
        probes.sort { a, b in
            if a.0.host != b.0.host { return a.0.host < b.0.host }
            if a.0.transport != b.0.transport { return a.0.transport < b.0.transport }
            return a.0.port < b.0.port
        }
        self.probes = probes
        self.matrix = Self.matrix(plan, probes)
        let (findings, unlisted) = Self.findings(plan, probes)
        self.findings = findings
        self.breachesNotListed = unlisted
    }

    /// How an observation reads for a segmentation test.
    static func verdict(_ observation: Observation, allowed: Bool) -> ProbeVerdict {
        switch observation.state {
        case .open: return allowed ? .connected : .breach
        case .closed, .unfiltered: return allowed ? .reachedClosed : .breach
        case .openFiltered: return allowed ? .inconclusive : .silent
        case .filtered, .closedFiltered: return allowed ? .blocked : .filtered
        }
    }

    /// Whether the test found a breach.
    public var hasBreach: Bool { probes.contains { $0.verdict == .breach } }
}
