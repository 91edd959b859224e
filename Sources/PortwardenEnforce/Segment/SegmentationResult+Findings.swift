import PortwardenCore
import PortwardenPolicy

extension SegmentationResult {
    static func matrix(
        _ plan: SegmentationPlan, _ probes: [(observation: Observation, verdict: ProbeVerdict, flow: String?)]
    ) -> [SegmentationMatrixRow] {
        var rows: [String: SegmentationMatrixRow] = [:]
        var hosts: [String: Set<IPAddress>] = [:]
        for probe in probes {
            guard let target = plan.target(of: probe.observation.host) else { continue }
            let key = "\(target.zone.id) \(probe.observation.transport.rawValue)"
            var row =
                rows[key]
                ?? SegmentationMatrixRow(
                    targetZone: target.zone.id, targetKind: target.zone.kind, transport: probe.observation.transport,
                    hosts: 0, probes: 0, expectedAllowed: 0, connected: 0, reachedClosed: 0, blocked: 0,
                    inconclusive: 0, expectedFiltered: 0, filtered: 0, silent: 0, breaches: 0)
            row.probes += 1
            hosts[key, default: []].insert(probe.observation.host)
            row.count(probe.verdict)
            rows[key] = row
        }
        return rows.keys.sorted().compactMap { key in
            guard var row = rows[key] else { return nil }
            row.hosts = hosts[key]?.count ?? 0
            return row
        }
    }

    static func findings(
        _ plan: SegmentationPlan, _ probes: [(observation: Observation, verdict: ProbeVerdict, flow: String?)]
    ) -> ([Finding], Int) {
        var findings: [Finding] = []
        var breaches = 0
        let vantage = plan.vantage
        for probe in probes {
            let o = probe.observation
            guard let target = plan.target(of: o.host) else { continue }
            let evidence = FindingEvidence(
                kind: "observation",
                summary:
                    "\(o.transport.rawValue)/\(o.port) \(o.state.rawValue) (\(o.reason ?? "-")) from \(plan.sourceAddress)",
                time: o.time, source: .scan, vantage: vantage.id)
            switch probe.verdict {
            case .breach:
                breaches += 1
                guard breaches <= maximumListedBreaches else { continue }
                let requirements = ZonePairTags.requirements(source: vantage.kind, target: target.zone.kind)
                findings.append(
                    Finding(
                        rule: EvaluationRule.segmentationBreach, severity: target.zone.isCDE ? .critical : .high,
                        requirements: requirements, zone: target.zone.id, host: o.host, transport: o.transport,
                        port: o.port, subject: "\(vantage.id) → \(target.zone.id)",
                        message:
                            "From zone \(vantage.id) (\(plan.sourceAddress)), \(o.host) \(o.transport.rawValue)/\(o.port) answered \(o.state.rawValue) (\(o.reason ?? "-")) although no declared flow allows \(vantage.id) → \(target.zone.id) on it: the segmentation control let the probe through",
                        remediation:
                            "Drop \(vantage.id) → \(target.zone.id) \(o.transport.rawValue)/\(o.port) at the segmentation control (portwarden enforce nft generates the rules; portwarden enforce verify names the rule that accepts it), or declare the flow with a justification",
                        evidence: [evidence]))
            case .blocked:
                findings.append(
                    Finding(
                        rule: EvaluationRule.flowBlocked, severity: .info, requirements: [], zone: target.zone.id,
                        host: o.host,
                        transport: o.transport, port: o.port, subject: probe.flow,
                        message:
                            "The declared flow \(probe.flow ?? "-") from \(vantage.id) to \(o.host) \(o.transport.rawValue)/\(o.port) is \(o.state.rawValue) (\(o.reason ?? "-")): the network blocks it",
                        remediation:
                            "Load the ruleset generated from the policy (portwarden enforce apply), or remove the flow from the policy",
                        evidence: [evidence]))
            default:
                continue
            }
        }
        findings.sort(by: Finding.reportOrder)
        return (findings, max(0, breaches - maximumListedBreaches))
    }
}
