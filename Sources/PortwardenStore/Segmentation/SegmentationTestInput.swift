import Foundation
import PortwardenCore

/// One segmentation test (`segment-test`) as the store keeps it: the run's facts as columns for queries
/// and the whole evidence document (matrix, every result including the filtered ones, findings) as text,
/// so that the chained record holds what the evidence file holds.
public struct SegmentationTestInput: Sendable {
    public var started: Date
    public var finished: Date
    public var operatorName: String
    /// The zone the test ran from, and its kind.
    public var vantage: String
    public var vantageKind: String
    /// The verified source address the probes left from.
    public var sourceAddress: IPAddress
    public var entity: EntityType
    /// The target zones and their prefixes, as `cde-db 10.20.1.0/24; cde-app 10.20.2.0/24`.
    public var targets: String
    public var tcpPorts: String
    public var udpPorts: String
    public var probes: Int
    public var breaches: Int
    /// Probes of declared edges the network filtered.
    public var blocked: Int
    public var policyHash: String
    public var toolVersion: String
    public var testerName: String?
    public var testerOrganization: String?
    public var testerQualification: String?
    public var independenceStatement: String?
    /// The day the next periodic test is due (12 months, 6 for service providers).
    public var nextDue: CalendarDay
    /// The evidence document (JSON).
    public var evidence: String

    public init(
        started: Date, finished: Date, operatorName: String, vantage: String, vantageKind: String,
        sourceAddress: IPAddress, entity: EntityType, targets: String, tcpPorts: String, udpPorts: String, probes: Int,
        breaches: Int, blocked: Int, policyHash: String, toolVersion: String, testerName: String? = nil,
        testerOrganization: String? = nil, testerQualification: String? = nil, independenceStatement: String? = nil,
        nextDue: CalendarDay, evidence: String
    ) {
        self.started = started
        self.finished = finished
        self.operatorName = operatorName
        self.vantage = vantage
        self.vantageKind = vantageKind
        self.sourceAddress = sourceAddress
        self.entity = entity
        self.targets = targets
        self.tcpPorts = tcpPorts
        self.udpPorts = udpPorts
        self.probes = probes
        self.breaches = breaches
        self.blocked = blocked
        self.policyHash = policyHash
        self.toolVersion = toolVersion
        self.testerName = testerName
        self.testerOrganization = testerOrganization
        self.testerQualification = testerQualification
        self.independenceStatement = independenceStatement
        self.nextDue = nextDue
        self.evidence = evidence
    }
}

/// A segmentation test read back from the store.
public struct StoredSegmentationTest: Sendable, Hashable {
    public var id: Int64
    public var started: Int64
    public var finished: Int64
    public var operatorName: String
    public var vantage: String
    public var vantageKind: String
    public var sourceAddress: String
    public var entity: EntityType
    public var targets: String
    public var tcpPorts: String
    public var udpPorts: String
    public var probes: Int64
    public var breaches: Int64
    public var blocked: Int64
    public var policyHash: String
    public var toolVersion: String
    public var testerName: String?
    public var testerOrganization: String?
    public var testerQualification: String?
    public var independenceStatement: String?
    public var nextDue: String
    public var evidence: String
    public var evidenceSHA256: String

    /// A row of `segmentation_tests` (`id` first), or nil when a column has the wrong type.
    init?(row: [SQLValue]) {
        guard row.count == StoreSchema.segmentationTests.columns.count + 1, let id = row[0].integer,
            let started = row[1].integer, let finished = row[2].integer, let probes = row[11].integer,
            let breaches = row[12].integer, let blocked = row[13].integer
        else { return nil }
        self.id = id
        self.started = started
        self.finished = finished
        operatorName = row[3].text ?? ""
        vantage = row[4].text ?? ""
        vantageKind = row[5].text ?? ""
        sourceAddress = row[6].text ?? ""
        entity = EntityType(rawValue: row[7].text ?? "") ?? .merchant
        targets = row[8].text ?? ""
        tcpPorts = row[9].text ?? ""
        udpPorts = row[10].text ?? ""
        self.probes = probes
        self.breaches = breaches
        self.blocked = blocked
        policyHash = row[14].text ?? ""
        toolVersion = row[15].text ?? ""
        testerName = row[16].text
        testerOrganization = row[17].text
        testerQualification = row[18].text
        independenceStatement = row[19].text
        nextDue = row[20].text ?? ""
        evidence = row[21].text ?? ""
        evidenceSHA256 = row[22].text ?? ""
    }
}

/// A change to a segmentation rule, read back from the store.
public struct StoredSegmentationChange: Sendable, Hashable {
    public var id: Int64
    public var time: Int64
    /// `enforce apply` or `policy apply`.
    public var origin: String
    /// The row it comes from (`ruleset load 3`, `policy version 5`).
    public var reference: String
    public var changeID: String?
    public var summary: String
}
