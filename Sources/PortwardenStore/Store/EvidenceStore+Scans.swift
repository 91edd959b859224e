import Foundation
import PortwardenCore

extension EvidenceStore {
    /// Records a scan (or audit, import, inventory) and folds its observations into the port and listener
    /// intervals, all in one transaction.
    @discardableResult
    public func record(_ scan: ScanEvidence) throws -> ScanRecordResult {
        let time = StoreClock.micros(scan.finished ?? scan.started)
        return try write(at: time) { writer in try ScanRecorder(writer: writer, scan: scan, time: time).run() }
    }
}

/// Writes one scan: the scan row, its host coverage, then the interval changes per host, transport and vantage.
struct ScanRecorder {
    let writer: StoreWriter
    let scan: ScanEvidence
    let time: Int64

    func run() throws -> ScanRecordResult {
        let networkObservations = scan.observations.filter { $0.source != .host }
        let hostObservations = scan.observations.filter { $0.source == .host }
        let scanID = try writer.insert(
            StoreSchema.scans,
            [
                .integer(StoreClock.micros(scan.started)), .optional(scan.finished.map(StoreClock.micros)),
                .text(scan.operatorName), .optional(scan.sourceAddress?.description), .optional(scan.vantage),
                .text(scan.targets.joined(separator: " ")), .text(scan.ports), .text(scan.parameterText),
                .text(scan.toolVersion), .optional(scan.policyHash), .text(scan.kind),
                .integer(Int64(scan.observations.count)),
            ])
        for host in scan.hosts {
            let probed = host.probedPorts(.tcp) + host.probedPorts(.udp)
            let silent = [Transport.tcp, .udp].reduce(0) {
                $0 + host.count($1, .filtered) + host.count($1, .openFiltered)
            }
            try writer.insert(
                StoreSchema.scanHosts,
                [
                    .integer(scanID), .blob(HostKey.bytes(host.host)), .text(host.status.rawValue),
                    .text(Self.covered(host, .tcp)), .text(Self.covered(host, .udp)), .integer(Int64(probed)),
                    .integer(Int64(probed - silent)), .text(host.reason),
                ])
        }
        var result = ScanRecordResult(
            scanID: scanID, observations: scan.observations.count, intervalsUpdated: 0, intervalsInserted: 0,
            listenersChanged: 0, auditRecords: 0)
        try recordIntervals(networkObservations, scanID: scanID, result: &result)
        if !hostObservations.isEmpty {
            result.listenersChanged = try ListenerRecorder(writer: writer, time: time).record(hostObservations)
        }
        result.auditRecords = writer.recordCount
        return result
    }

    private struct GroupKey: Hashable {
        var host: IPAddress
        var transport: Transport
        var vantage: String
    }

    private func recordIntervals(_ observations: [Observation], scanID: Int64, result: inout ScanRecordResult) throws {
        var groups: [GroupKey: [Observation]] = [:]
        for observation in observations {
            let key = GroupKey(
                host: observation.host, transport: observation.transport, vantage: observation.vantage ?? "")
            groups[key, default: []].append(observation)
        }
        let coverage = Dictionary(scan.hosts.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        // Every probed port has a state in the coverage, so a host that answered nothing still moves its
        // covered ports' intervals (a host that was down or unreachable has no runs and changes nothing).
        for host in scan.hosts {
            for transport in Set(host.ranges.map(\.transport)) {
                let key = GroupKey(host: host.host, transport: transport, vantage: scan.vantage ?? "")
                if groups[key] == nil { groups[key] = [] }
            }
        }
        for key in groups.keys.sorted(by: { ($0.host, $0.transport, $0.vantage) < ($1.host, $1.transport, $1.vantage) })
        {
            var state = PortIntervalDiff.Scan(time: time, scanID: scanID)
            for range in coverage[key.host]?.ranges ?? [] where range.transport == key.transport {
                state.cover(range.ports, PortStateKey(state: range.state.rawValue), reason: range.reason)
            }
            for observation in groups[key] ?? [] {
                let open = observation.state == .open
                state.set(
                    observation.port,
                    PortStateKey(
                        state: observation.state.rawValue, service: open ? observation.service : nil,
                        product: open ? observation.product : nil, version: open ? observation.version : nil),
                    reason: observation.reason, source: observation.sourceAddress?.description)
            }
            let rows = try writer.rows(
                StoreSchema.portIntervals, where: "host = ? AND transport = ? AND vantage = ? AND ended IS NULL",
                [.blob(HostKey.bytes(key.host)), .text(key.transport.rawValue), .text(key.vantage)])
            let current = rows.compactMap(PortInterval.init(row:))
            let stored = Dictionary(
                rows.compactMap { row in row.first?.integer.map { ($0, row) } }, uniquingKeysWith: { first, _ in first }
            )
            let diff = PortIntervalDiff.compute(
                current: current, scan: state, host: key.host, transport: key.transport, vantage: key.vantage)
            let byID = Dictionary(current.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for row in diff.updates where byID[row.id] != row {
                // Against the row as stored, so that only what changed is written (a column whose stored
                // value would read back differently is written again).
                try writer.update(StoreSchema.portIntervals, row.row, previous: stored[row.id])
                result.intervalsUpdated += 1
            }
            for row in diff.inserts {
                try writer.insert(StoreSchema.portIntervals, row.values)
                result.intervalsInserted += 1
            }
        }
    }

    /// The ports of `transport` the host was probed on, as `1-1024,3306`.
    static func covered(_ host: HostCoverage, _ transport: Transport) -> String {
        PortRange.list(host.ranges.lazy.filter { $0.transport == transport }.map(\.ports))
    }
}
