import Foundation
import PortwardenCore
import PortwardenPolicy
import PortwardenReport
import PortwardenStore

/// `segment-test --due`: when the next segmentation test is due from each zone, from the evidence store.
enum SegmentDue {
    /// The zone kinds a segmentation test must be run from: the ones segmentation isolates from the CDE.
    static let vantageKinds: Set<ZoneKind> = [.outOfScope, .untrusted, .wireless]

    /// Prints the schedule; returns its findings (one per zone whose test is due).
    static func report(
        store: any EvidenceStore, policy: Policy?, at now: Date, format: SegmentFormat
    ) throws -> [Finding] {
        let vantages = policy?.zones.filter { vantageKinds.contains($0.kind) }.map(\.id) ?? []
        let schedule = try StoreFailure.run {
            try store.segmentationSchedule(vantages: vantages, entity: policy?.entity)
        }
        var findings = schedule.entries.filter { $0.isDue(at: now) }.map { finding($0, at: now) }
        if schedule.entries.isEmpty {
            findings.append(
                Finding(
                    rule: EvaluationRule.segmentationTestOverdue, severity: .high,
                    requirements: (policy?.entity ?? .merchant).segmentationTestRequirements,
                    message: "\(store.location) records no segmentation test",
                    remediation: EvaluationRule.description(of: EvaluationRule.segmentationTestOverdue)?.remediation
                        ?? ""))
        }
        if format == .json {
            Terminal.write(FindingRenderer(color: false).render(findings, format: .json, context: nil))
            return findings
        }
        var lines = [
            "Segmentation tests in \(store.location) (PCI DSS 11.4.5 / 11.4.6), as of \(Timestamp.format(now))"
        ]
        for entry in schedule.entries { lines.append("  " + line(entry, at: now)) }
        if schedule.entries.isEmpty { lines.append("  no segmentation test recorded") }
        Terminal.write(lines.joined(separator: "\n") + "\n")
        return findings
    }

    static func line(_ entry: SegmentationSchedule.Entry, at now: Date) -> String {
        guard let last = entry.lastTest else { return "\(entry.vantage): never tested; due now" }
        var text =
            "\(entry.vantage): last test \(StoreClock.text(last.finished)) (test \(last.id), source \(last.sourceAddress), "
            + "\(last.breaches) breach\(last.breaches == 1 ? "" : "es"), tester \(last.testerName ?? "not given")); "
        if entry.isDue(at: now) {
            text += "DUE since \(Timestamp.format(entry.due)): \(entry.reason)"
        } else {
            text +=
                "next due by \(entry.periodicDue?.description ?? "?") (\(entry.months) months), or at once after a segmentation change"
        }
        return text
    }

    static func finding(_ entry: SegmentationSchedule.Entry, at now: Date) -> Finding {
        let message =
            entry.lastTest == nil
            ? "no segmentation test from zone \(entry.vantage) is recorded"
            : "the segmentation test from zone \(entry.vantage) is due since \(Timestamp.format(entry.due)): \(entry.reason)"
        return Finding(
            rule: EvaluationRule.segmentationTestOverdue, severity: .high, requirements: entry.requirements(at: now),
            zone: entry.vantage, subject: entry.vantage, message: message,
            remediation: EvaluationRule.description(of: EvaluationRule.segmentationTestOverdue)?.remediation ?? "")
    }
}
