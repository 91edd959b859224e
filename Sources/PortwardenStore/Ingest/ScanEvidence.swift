import Foundation
import PortwardenCore

/// What one run that observed ports contributes to the store: who ran it, when, from where, against what,
/// with which parameters, the coverage per host, and the observations.
public struct ScanEvidence: Sendable {
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
    /// Per-host coverage as the scan recorded it (``PortwardenCore/HostCoverage``): the host's status and
    /// every probed port as runs of equal state. A covered port without an observation takes its run's
    /// state; when empty, each observed port counts as covered and nothing else.
    public var hosts: [HostCoverage]
    /// What answered, with its details (service, product, version); for a scan these may be the open
    /// ports only, since the coverage carries every other port's state.
    public var observations: [Observation]

    public init(
        kind: String, started: Date, finished: Date? = nil, operatorName: String, sourceAddress: IPAddress? = nil,
        vantage: String? = nil, targets: [String], ports: String, parameters: [String: String] = [:],
        toolVersion: String, policyHash: String? = nil, hosts: [HostCoverage] = [], observations: [Observation]
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
