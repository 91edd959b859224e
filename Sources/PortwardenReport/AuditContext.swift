import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an audit or check run was: the policy it held the evidence against, the evidence, the
/// findings, and how the run was configured. Every report renders from this one value.
public struct AuditContext: Sendable {
    /// The declared plane the findings were evaluated against.
    public var policy: Policy
    /// The policy file as the user named it (shown in reports, used as the SARIF artifact).
    public var policyPath: String
    /// When the run happened; exception status (valid, expiring, expired) is relative to it.
    public var generatedAt: Date
    /// The observed plane: every observation the run used.
    public var observations: [Observation]
    /// How many observations the run read (``observations`` may hold only those that matter to
    /// the findings, when they were read as a stream).
    public var observationCount: Int
    /// What the evaluator found.
    public var findings: [Finding]
    /// How many hosts were scanned.
    public var scannedTargets: Int
    /// How many ports per host were scanned.
    public var scannedPorts: Int
    /// How long the run took, in seconds, when known.
    public var duration: Double?
    /// The Portwarden version that produced the run.
    public var toolVersion: String
    /// The severity at or above which a finding fails the run (`--fail-on`).
    public var failOn: Severity
    /// The 1-based line of each policy object (service, exception or zone id) in the policy file,
    /// when the loader knows it. SARIF results then point at that line.
    public var policyLines: [String: Int]
    /// What the run was asked to cover, one line each (zones and prefixes, vantage, ports), as the
    /// CLI states it; the coverage actually probed comes from the observations.
    public var scope: [String] = []
    /// The scans' own records (per-host coverage with closed and filtered ports as ranges), when the
    /// run made them; coverage and `port-states.jsonl` prefer them to the observations.
    public var scanRecords: [ScanRecord] = []

    /// What the run probed, per host and transport, from the scan records and the observations.
    public var coverage: RunCoverage { RunCoverage(observations: observations, records: scanRecords) }

    /// - Parameters:
    ///   - policy: The policy the findings were evaluated against.
    ///   - policyPath: The policy file as the user named it.
    ///   - generatedAt: When the run happened.
    ///   - observations: The observations the run used.
    ///   - observationCount: How many observations were read; default: `observations.count`.
    ///   - findings: What the evaluator found.
    ///   - scannedTargets: How many hosts were scanned.
    ///   - scannedPorts: How many ports per host were scanned.
    ///   - duration: How long the run took, in seconds.
    ///   - toolVersion: The Portwarden version.
    ///   - failOn: The `--fail-on` severity (default `high`).
    ///   - policyLines: Line numbers of policy objects in the policy file, when known.
    public init(
        policy: Policy, policyPath: String, generatedAt: Date, observations: [Observation] = [],
        observationCount: Int? = nil,
        findings: [Finding] = [], scannedTargets: Int = 0, scannedPorts: Int = 0, duration: Double? = nil,
        toolVersion: String, failOn: Severity = .high, policyLines: [String: Int] = [:]
    ) {
        self.policy = policy
        self.policyPath = policyPath
        self.generatedAt = generatedAt
        self.observations = observations
        self.observationCount = observationCount ?? observations.count
        self.findings = findings
        self.scannedTargets = scannedTargets
        self.scannedPorts = scannedPorts
        self.duration = duration
        self.toolVersion = toolVersion
        self.failOn = failOn
        self.policyLines = policyLines
    }

    /// The findings most severe first (``Finding/reportOrder(_:_:)``).
    public var orderedFindings: [Finding] { findings.sorted(by: Finding.reportOrder) }

    /// The findings at or above ``failOn`` that count toward it (unverified readings never do): the
    /// ones that make the run exit 1.
    public var failingFindings: [Finding] { findings.filter { EvaluationRule.fails($0, at: failOn) } }

    /// Whether the run fails (some finding at or above ``failOn``).
    public var failed: Bool { findings.contains { EvaluationRule.fails($0, at: failOn) } }
}
