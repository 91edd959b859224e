import PortwardenCore

extension PolicyChecks {
    private struct LabelledSource: Hashable {
        var label: String?
        var source: IPAddress
    }

    /// PW-VANTAGE-CONTRADICTED: one finding per (vantage label, source address) pair of network
    /// observations whose source address lies outside the zone the label names.
    func vantageContradictions(_ observations: [Observation]) -> [Finding] {
        var seen: [LabelledSource: Int] = [:]
        var last: LabelledSource?
        for index in observations.indices {
            guard let source = observations[index].sourceAddress,
                observations[index].source == .scan || observations[index].source == .import
            else { continue }
            let pair = LabelledSource(label: observations[index].vantage, source: source)
            if pair == last { continue }
            last = pair
            if seen[pair] == nil { seen[pair] = index }
        }
        var findings: [Finding] = []
        for (pair, first) in seen.sorted(by: { $0.value < $1.value }) {
            let vantage = context.resolveVantage(pair.label, source: pair.source)
            guard vantage.contradicted, let label = pair.label else { continue }
            let actual =
                vantage.zone.map { "zone \($0)" }
                ?? "no declared zone"
            let labelText =
                context.zones.zone(id: label) == nil ? "\"\(label)\", which is not a declared zone" : "zone \(label)"
            let judged =
                vantage.zone.map {
                    "Segmentation findings of these scans are judged from zone \($0), the zone of the source address."
                }
                ?? "Segmentation findings of these scans are judged from zone \(label) for zone entries and from "
                + "\(pair.source) for prefix entries."
            let message =
                "Scans labelled with vantage \(labelText) sent their probes from \(pair.source), which lies in "
                + "\(actual). \(judged)"
            let rule = EvaluationRule.vantageContradicted
            findings.append(
                Finding(
                    rule: rule, severity: .medium, requirements: [], zone: vantage.zone, host: pair.source,
                    subject: label, message: message, remediation: EvaluationRule.remediation(rule),
                    evidence: [EvidenceText.evidence(observations[first])]))
        }
        return findings
    }
}
