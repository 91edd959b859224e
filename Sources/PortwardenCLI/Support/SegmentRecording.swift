import PortwardenCore
import PortwardenEnforce
import PortwardenStore

/// Records a `segment-test` run in the evidence store when one exists (or `--db` names one).
enum SegmentRecording {
    /// Records the test and prints what was kept on stderr.
    static func record(_ evidence: SegmentationEvidence, json: String, options: StoreOptions) throws {
        guard let store = try options.openForRecording() else { return }
        defer { try? store.close() }
        let result = evidence.result
        let plan = result.plan
        let input = SegmentationTestInput(
            started: evidence.started, finished: evidence.finished, operatorName: StoreRecording.operatorName(),
            vantage: plan.vantage.id, vantageKind: plan.vantage.kind.rawValue, sourceAddress: plan.sourceAddress,
            entity: plan.flows.policy.entity,
            targets: plan.targets.map { "\($0.zone.id) \($0.zone.prefixes.map(\.description).joined(separator: ","))" }
                .joined(separator: "; "),
            tcpPorts: PortText.ranges(plan.tcpPorts), udpPorts: PortText.ranges(plan.udpPorts),
            probes: result.probes.count, breaches: result.probes.count { $0.verdict == .breach },
            blocked: result.probes.count { $0.verdict == .blocked }, policyHash: evidence.policyDigest,
            toolVersion: evidence.toolVersion, testerName: evidence.tester.name,
            testerOrganization: evidence.tester.organization, testerQualification: evidence.tester.qualification,
            independenceStatement: evidence.tester.independenceStatement, nextDue: evidence.nextTestDue,
            evidence: json)
        let id = try StoreFailure.run { try store.recordSegmentationTest(input) }
        Terminal.writeError(
            "portwarden: recorded in \(store.location): segmentation test \(id); next test from \(plan.vantage.id) due by \(evidence.nextTestDue) or after a segmentation change"
        )
    }
}
