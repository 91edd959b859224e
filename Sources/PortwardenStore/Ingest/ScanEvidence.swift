import Foundation
import PortwardenCore

/// What one run that observed ports contributes to the store: who ran it, when, from where, against what,
/// with which parameters, the coverage per host, and the observations.
public struct ScanEvidence: Sendable {
    /// What one host of the run was probed for and what came of it.
    public struct HostCoverage: Sendable, Hashable {
        public var host: IPAddress
        /// `up`, `down` (every discovery method failed), `skipped` or `unknown`.
        public var status: String
        public var tcp: [PortRange]
        public var udp: [PortRange]
        public var probed: Int
        public var answered: Int
        public var note: String?

        public init(
            host: IPAddress, status: String, tcp: [PortRange] = [], udp: [PortRange] = [], probed: Int = 0,
            answered: Int = 0, note: String? = nil
        ) {
            self.host = host
            self.status = status
            self.tcp = tcp
            self.udp = udp
            self.probed = probed
            self.answered = answered
            self.note = note
        }
    }

    /// `scan`, `audit`, `inventory`, `import` or `check`.
    public var kind: String
    public var started: Date
    public var finished: Date?
    public var operatorName: String
    public var sourceAddress: IPAddress?
    public var vantage: String?
    public var targets: [String]
    public var ports: String
    /// Parameters as `key=value` text, in a stable order.
    public var parameters: [String: String]
    public var toolVersion: String
    /// SHA-256 of the policy file the run judged against, when there was one.
    public var policyHash: String?
    /// Per-host coverage; when empty, each observed port counts as covered and nothing else.
    public var hosts: [HostCoverage]
    public var observations: [Observation]
    /// The state of covered ports that have no observation (`closed` when the output lists open ports
    /// only); nil leaves them as they were.
    public var unreportedState: PortState?

    public init(
        kind: String, started: Date, finished: Date? = nil, operatorName: String, sourceAddress: IPAddress? = nil,
        vantage: String? = nil, targets: [String], ports: String, parameters: [String: String] = [:],
        toolVersion: String, policyHash: String? = nil, hosts: [HostCoverage] = [], observations: [Observation],
        unreportedState: PortState? = nil
    ) {
        self.kind = kind
        self.started = started
        self.finished = finished
        self.operatorName = operatorName
        self.sourceAddress = sourceAddress
        self.vantage = vantage
        self.targets = targets
        self.ports = ports
        self.parameters = parameters
        self.toolVersion = toolVersion
        self.policyHash = policyHash
        self.hosts = hosts
        self.observations = observations
        self.unreportedState = unreportedState
    }

    var parameterText: String {
        parameters.keys.sorted().map { "\($0)=\(parameters[$0] ?? "")" }.joined(separator: " ")
    }
}

/// What recording a scan changed.
public struct ScanRecordResult: Sendable, Hashable {
    public var scanID: Int64
    public var observations: Int
    public var intervalsUpdated: Int
    public var intervalsInserted: Int
    public var listenersChanged: Int
    public var auditRecords: Int
}
