import PortwardenCore
import PortwardenPolicy
import PortwardenStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The 10.4.1 summary of one day from the store: the alerts seen that day, the declared services and
/// exceptions used, those not seen in traffic (with a policy), and what each log input committed.
struct DailyReviewSummary {
    let day: CalendarDay
    let alerts: [StoredAlert]
    let usage: [ServiceUsageRecord]
    let offsets: [LogOffset]
    /// The declared services and exceptions, when a policy was given.
    let declared: [(kind: ServiceUsageRecord.Kind, id: String)]?

    /// Reads what the summary needs from `store`.
    init(day: CalendarDay, store: any EvidenceStore, policy: Policy?) throws {
        self.day = day
        let start = StoreClock.micros(day.start)
        let end = StoreClock.micros(day.end)
        alerts = try store.alerts(since: start).filter { $0.firstSeen < end }
        usage = try store.serviceUsage().filter { $0.lastSeen >= start && $0.firstSeen < end }
        offsets = try store.logOffsets()
        declared = policy.map { policy in
            policy.services.map { (ServiceUsageRecord.Kind.service, $0.id) }
                + policy.exceptions.map { (ServiceUsageRecord.Kind.exception, $0.id) }
        }
    }

    /// The summary as the reviewer reads (and acknowledges) it.
    var text: String {
        let start = StoreClock.micros(day.start)
        let end = StoreClock.micros(day.end)
        var lines = ["Daily log review of \(day) (UTC), PCI DSS 10.4.1"]
        let bySeverity = Severity.allCases.reversed().compactMap { severity -> String? in
            let count = alerts.filter { $0.severity == severity.rawValue }.count
            return count == 0 ? nil : "\(count) \(severity.rawValue)"
        }
        let new = alerts.filter { $0.firstSeen >= start }.count
        lines.append(
            "Alerts seen this day: \(alerts.count)"
                + (bySeverity.isEmpty ? "" : " (\(bySeverity.joined(separator: ", ")))") + "; new this day: \(new)")
        for alert in alerts.sorted(by: Self.order) {
            var place = alert.zone ?? "-"
            if let host = alert.host { place += " \(host)" }
            if let transport = alert.transport, let port = alert.port { place += " \(transport)/\(port)" }
            let ids = alert.requirements.isEmpty ? "" : " [\(alert.requirements.joined(separator: ", "))]"
            lines.append(
                "  \(alert.severity) \(alert.rule)\(ids) \(place): \(alert.message) (raised \(alert.count) times "
                    + "from \(StoreClock.text(alert.firstSeen)) to \(StoreClock.text(alert.lastSeen)))")
        }
        lines.append("Declared services and exceptions used this day: \(usage.count)")
        for use in usage {
            let sources = "\(use.sources.count)\(use.moreSources ? "+" : "") sources"
            lines.append(
                "  \(use.kind.rawValue) \(use.id): last seen \(StoreClock.text(use.lastSeen)), \(use.hits) hits since "
                    + "\(StoreClock.text(use.firstSeen)), \(sources)")
        }
        if let declared {
            let used = Set(usage.map { "\($0.kind.rawValue) \($0.id)" })
            let unused = declared.map { "\($0.kind.rawValue) \($0.id)" }.filter { !used.contains($0) }
            lines.append(
                "Declared but not seen in traffic this day (1.2.7 review candidates): "
                    + (unused.isEmpty ? "none" : unused.joined(separator: ", ")))
        }
        lines.append("Log inputs: \(offsets.count)")
        for offset in offsets {
            let quiet = offset.updated < start || offset.updated >= end
            lines.append(
                "  \(offset.input) (\(offset.format)): line \(offset.line), \(offset.flows) flows, "
                    + "\(offset.securityEvents) security events, \(offset.problems) broken lines in all; last commit "
                    + StoreClock.text(offset.updated)
                    + (quiet ? " — nothing committed this day: check the source and the monitor (10.7.2)" : ""))
        }
        if offsets.isEmpty { lines.append("  none: no log was ingested into this store (10.4.1.1 needs one)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func order(_ a: StoredAlert, _ b: StoredAlert) -> Bool {
        let rank = { (text: String) in Severity(rawValue: text).flatMap { Severity.allCases.firstIndex(of: $0) } ?? 0 }
        if rank(a.severity) != rank(b.severity) { return rank(a.severity) > rank(b.severity) }
        return (a.lastSeen, a.fingerprint) > (b.lastSeen, b.fingerprint)
    }
}
