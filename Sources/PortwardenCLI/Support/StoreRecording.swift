import Crypto
import Foundation
import PortwardenCore
import PortwardenStore

/// Records a run of `audit`, `scan`, `inventory` or `check` in the evidence store when one exists (or
/// `--db` names one), so that each command needs one call.
enum StoreRecording {
    /// What a run observed and concluded.
    struct Run {
        var kind: String
        var started: Date
        var observations: [Observation]
        var targets: [String]
        var ports: String
        var parameters: [String: String] = [:]
        var vantage: String?
        var policyPath: String?
        /// The hosts and TCP ports probed, for the per-host coverage; nil for runs that probed nothing.
        var probed: (hosts: [IPAddress], ports: [UInt16])?
        var findings: [Finding]?
        /// Whether the findings cover the whole policy (audit, check): findings it no longer reports resolve.
        var completeFindings = false
    }

    /// Records `run`; prints one line on stderr saying what was kept. Store failures are runtime errors.
    static func record(_ run: Run, options: StoreOptions) throws {
        guard let store = try options.openForRecording() else { return }
        defer { try? store.close() }
        let evidence = ScanEvidence(
            kind: run.kind, started: run.started, finished: Date(), operatorName: operatorName(),
            sourceAddress: run.observations.lazy.compactMap(\.sourceAddress).first, vantage: run.vantage,
            targets: run.targets, ports: run.ports, parameters: run.parameters, toolVersion: PortwardenVersion.current,
            policyHash: run.policyPath.flatMap(fileHash), hosts: coverage(run), observations: run.observations)
        let result = try StoreFailure.run { try store.record(evidence) }
        var summary =
            "scan \(result.scanID), \(result.intervalsInserted) new and \(result.intervalsUpdated) extended intervals"
        if let findings = run.findings {
            let lifecycle = try StoreFailure.run {
                try store.ingest(
                    findings: findings, at: Date(), complete: run.completeFindings, actor: evidence.operatorName)
            }
            summary += ", findings \(lifecycle.new) new, \(lifecycle.reopened) reopened, \(lifecycle.resolved) resolved"
        }
        Terminal.writeError("portwarden: recorded in \(store.location): \(summary)")
    }

    static func coverage(_ run: Run) -> [ScanEvidence.HostCoverage] {
        guard let probed = run.probed else { return [] }
        let ranges = portRanges(probed.ports)
        var answered: [IPAddress: Int] = [:]
        for observation in run.observations where observation.state != .filtered {
            answered[observation.host, default: 0] += 1
        }
        return probed.hosts.map { host in
            ScanEvidence.HostCoverage(
                host: host, status: answered[host] == nil ? "unknown" : "up", tcp: ranges, probed: probed.ports.count,
                answered: answered[host] ?? 0)
        }
    }

    static func portRanges(_ ports: [UInt16]) -> [PortRange] {
        var out: [PortRange] = []
        for port in ports.sorted() {
            if let last = out.last, last.upper &+ 1 == port, let merged = PortRange(last.lower, port) {
                out[out.count - 1] = merged
            } else {
                out.append(PortRange(port: port))
            }
        }
        return out
    }

    static func operatorName() -> String {
        let environment = ProcessInfo.processInfo.environment
        return environment["SUDO_USER"] ?? environment["USER"] ?? "uid \(getuid())"
    }

    static func fileHash(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Hex.encode(SHA256.hash(data: data))
    }
}
