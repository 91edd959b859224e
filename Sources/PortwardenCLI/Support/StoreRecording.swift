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
        /// The scan's per-host coverage (status and every probed port's state); empty for runs that probed
        /// nothing (inventory, check).
        var coverage: [HostCoverage] = []
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
            sourceAddress: run.coverage.lazy.compactMap(\.sourceAddress).first
                ?? run.observations.lazy.compactMap(\.sourceAddress).first, vantage: run.vantage,
            targets: run.targets, ports: run.ports, parameters: run.parameters, toolVersion: PortwardenVersion.current,
            policyHash: run.policyPath.flatMap(fileHash), hosts: run.coverage, observations: run.observations)
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

    static func operatorName() -> String {
        let environment = ProcessInfo.processInfo.environment
        return environment["SUDO_USER"] ?? environment["USER"] ?? "uid \(getuid())"
    }

    static func fileHash(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Hex.encode(SHA256.hash(data: data))
    }
}
