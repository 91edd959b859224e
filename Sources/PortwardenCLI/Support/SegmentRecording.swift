import PortwardenCore
import PortwardenEnforce
import PortwardenStore

/// Records a `segment-test` run in the evidence store when one exists (or `--db` names one).
enum SegmentRecording {
    /// Records the test and its probes (as a scan from the zone tested from, linked to the test) and prints
    /// what was kept on stderr.
    /// - Parameter observations: what the probes observed (the open ports are kept with their details; the
    ///   scans' coverage carries every other probed port's state).
    static func record(
        _ evidence: SegmentationEvidence, json: String, observations: [Observation], options: StoreOptions
    ) throws {
        guard let store = try options.openForRecording() else { return }
        defer { try? store.close() }
        let plan = evidence.result.plan
        let (id, scan) = try StoreFailure.run {
            try store.recordSegmentationTest(test(evidence, json: json), scan: probes(evidence, observations))
        }
        Terminal.writeError(
            "portwarden: recorded in \(store.location): segmentation test \(id) with its probes as scan \(scan.scanID) "
                + "(vantage \(plan.vantage.id), \(scan.intervalsInserted) new and \(scan.intervalsUpdated) extended "
                + "intervals); next test from \(plan.vantage.id) due by \(evidence.nextTestDue) or after a "
                + "segmentation change")
    }

    static func test(_ evidence: SegmentationEvidence, json: String) -> SegmentationTestInput {
        let result = evidence.result
        let plan = result.plan
        return SegmentationTestInput(
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
    }

    /// The probes as a scan: kind `segment-test`, from the verified source address, vantage the zone tested
    /// from, the addresses probed, the ports, and each host's coverage as the scanner recorded it.
    static func probes(_ evidence: SegmentationEvidence, _ observations: [Observation]) -> ScanEvidence {
        let plan = evidence.result.plan
        let ports = [("tcp", plan.tcpPorts), ("udp", plan.udpPorts)].filter { !$0.1.isEmpty }
            .map { "\($0.0) \(PortText.ranges($0.1))" }
        return ScanEvidence(
            kind: "segment-test", started: evidence.started, finished: evidence.finished,
            operatorName: StoreRecording.operatorName(), sourceAddress: plan.sourceAddress, vantage: plan.vantage.id,
            targets: plan.targets.flatMap { target in
                target.zone.prefixes.filter { !target.notSwept.contains($0) }.map(\.description)
                    + target.hosts.filter { host in target.notSwept.contains { $0.contains(host) } }.map(\.description)
            },
            ports: ports.joined(separator: "; "), toolVersion: evidence.toolVersion,
            policyHash: evidence.policyDigest.hasPrefix("sha256:")
                ? String(evidence.policyDigest.dropFirst(7)) : evidence.policyDigest,
            hosts: evidence.scans.flatMap(\.hosts), observations: observations.filter { $0.state == .open })
    }
}
