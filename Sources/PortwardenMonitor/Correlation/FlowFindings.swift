import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The findings the correlator raises, with their requirement ids. Access findings take their ids
/// from `RequirementTags` (the evaluator's one place, by zone pair); the rest are evidence for the
/// daily log review (10.4.1) or a failed control (10.7.2), never a claim the log cannot support.
enum FlowFindings {
    static func vantage(_ zone: Zone?) -> VantageKind { zone.map { .zone($0.kind) } ?? .unknown }

    static func endpoint(_ address: IPAddress, _ port: UInt16?) -> String {
        let host = address.isIPv4 ? address.description : "[\(address)]"
        return port.map { "\(host):\($0)" } ?? host
    }

    static func flowEvidence(_ flow: FlowEvent) -> FindingEvidence {
        var summary =
            "\(flow.origin.rawValue) \(flow.verdict.rawValue) \(protoName(flow.ipProtocol)) "
            + "\(endpoint(flow.sourceAddress, flow.sourcePort)) → \(endpoint(flow.destinationAddress, flow.destinationPort))"
        if let tag = flow.tag { summary += " (\(tag))" }
        if let sensor = flow.sensor { summary += " on \(sensor)" }
        return FindingEvidence(kind: "flow", summary: summary, time: flow.time, source: .flow)
    }

    static func protoName(_ number: UInt8) -> String {
        switch number {
        case 6: return "tcp"
        case 17: return "udp"
        case 1: return "icmp"
        case 58: return "icmpv6"
        default: return "proto \(number)"
        }
    }

    static func sourceNotPermitted(
        _ flow: FlowEvent, service: Service, zone: Zone, sourceZone: Zone?
    ) -> PendingFinding {
        PendingFinding(
            rule: EvaluationRule.sourceNotPermitted, zone: zone.id, host: flow.destinationAddress,
            transport: flow.transport, port: flow.destinationPort,
            subject: "service \(service.id) from \(sourceZone?.id ?? flow.sourceAddress.description)"
        ) { id in
            let tags = RequirementTags.sourceNotPermitted(target: zone.kind, vantage: vantage(sourceZone))
            let allowed =
                service.allowFrom.isEmpty
                ? "its own zone \(service.zone) only" : service.allowFrom.map(\.description).joined(separator: ", ")
            return Finding(
                rule: id.rule, severity: tags.severity, requirements: tags.requirements, zone: id.zone, host: id.host,
                transport: id.transport, port: id.port, subject: id.subject,
                message:
                    "Traffic from \(flow.sourceAddress) (\(sourceZone.map { "zone \($0.id)" } ?? "no declared zone")) "
                    + "reached service \(service.id) on \(endpoint(flow.destinationAddress, flow.destinationPort)), which "
                    + "its allow-from (\(allowed)) does not permit: the network control between them let it through"
                    + (tags.notes.isEmpty ? "." : " (\(tags.notes.joined(separator: ", ")))."),
                remediation: "Block this source at the network control in front of \(zone.id); if the connection is a "
                    + "real business need, declare it with a justification and an approver (an edge from outside the "
                    + "CDE into it changes the scope).",
                evidence: [flowEvidence(flow)])
        }
    }

    static func undeclared(_ flow: FlowEvent, zone: Zone, sourceZone: Zone?) -> PendingFinding {
        PendingFinding(
            rule: EvaluationRule.undeclaredFlow, zone: zone.id, host: flow.destinationAddress,
            transport: flow.transport, port: flow.destinationPort, subject: nil
        ) { id in
            let tags = RequirementTags.sourceNotPermitted(target: zone.kind, vantage: vantage(sourceZone))
            let where_ = "\(protoName(flow.ipProtocol))/\(flow.destinationPort.map(String.init) ?? "-")"
            return Finding(
                rule: id.rule, severity: tags.severity, requirements: tags.requirements, zone: id.zone, host: id.host,
                transport: id.transport, port: id.port,
                message: "Traffic reached \(where_) on \(flow.destinationAddress) in zone \(zone.id), which no service "
                    + "or exception declares, from \(flow.sourceAddress)"
                    + (sourceZone.map { " (zone \($0.id))" } ?? " (no declared zone)") + ".",
                remediation: "Close the port or block it at the network control, or declare the service with its "
                    + "justification, owner and approver.",
                evidence: [flowEvidence(flow)])
        }
    }

    static func expiredException(
        _ flow: FlowEvent, id exception: String, expired: CalendarDay?, zone: Zone, sourceZone: Zone?
    ) -> PendingFinding {
        PendingFinding(
            rule: EvaluationRule.flowExpiredException, zone: zone.id, host: flow.destinationAddress,
            transport: flow.transport, port: flow.destinationPort, subject: "exception \(exception)"
        ) { id in
            let tags = RequirementTags.sourceNotPermitted(target: zone.kind, vantage: vantage(sourceZone))
            return Finding(
                rule: id.rule, severity: tags.severity, requirements: tags.requirements, zone: id.zone, host: id.host,
                transport: id.transport, port: id.port, subject: id.subject,
                message:
                    "Traffic to \(endpoint(flow.destinationAddress, flow.destinationPort)) is covered only by exception "
                    + "\(exception), which " + (expired.map { "expired on \($0)." } ?? "has expired."),
                remediation: "Renew exception \(exception) with a new approval, or close the port and remove the "
                    + "exception.",
                evidence: [flowEvidence(flow)])
        }
    }

    static func portScan(_ flow: FlowEvent, sourceZone: Zone?, targets: Int, window: TimeInterval) -> PendingFinding {
        PendingFinding(
            rule: EvaluationRule.portScan, zone: sourceZone?.id, host: flow.sourceAddress,
            subject: "scan from \(flow.sourceAddress)"
        ) { id in
            Finding(
                rule: id.rule, severity: .high, requirements: [Requirement("10.4.1")], zone: id.zone, host: id.host,
                subject: id.subject,
                message: "\(flow.sourceAddress) touched \(targets) distinct ports or hosts within \(Int(window)) s: a "
                    + "port scan from inside the network" + (sourceZone.map { " (zone \($0.id))" } ?? "") + ".",
                remediation: "Find out who runs this scan; if it is an authorised scanner, list its address so that "
                    + "its runs are expected.",
                evidence: [flowEvidence(flow)])
        }
    }

    static func repeatedDenies(_ flow: FlowEvent, zone: Zone, count: Int, window: TimeInterval) -> PendingFinding {
        PendingFinding(
            rule: EvaluationRule.repeatedDenies, zone: zone.id, host: flow.destinationAddress,
            subject: "denies from \(flow.sourceAddress)"
        ) { id in
            Finding(
                rule: id.rule, severity: .medium, requirements: [Requirement("10.4.1")], zone: id.zone, host: id.host,
                subject: id.subject,
                message: "\(count) connections from \(flow.sourceAddress) to CDE zone \(zone.id) were denied within "
                    + "\(Int(window)) s: the control held, but someone keeps trying.",
                remediation: "Review the source: a misconfigured client, or an attempt to find a way into the CDE.",
                evidence: [flowEvidence(flow)])
        }
    }

    /// `idsIncident` built only when needed: most events of an incident only move its counts.
    static func pendingIDSIncident(
        _ incident: IDSIncidents.Incident, zone: Zone, judgement: FlowJudgement, policy: FlowPolicy
    ) -> PendingFinding {
        let flow = incident.flow
        return PendingFinding(
            rule: EvaluationRule.idsIncident, zone: zone.id, host: flow.destinationAddress, transport: flow.transport,
            port: flow.destinationPort, subject: "incident from \(flow.sourceAddress)"
        ) { _ in idsIncident(incident, zone: zone, row: policy.describe(judgement)) }
    }

    static func idsIncident(_ incident: IDSIncidents.Incident, zone: Zone, row: String) -> Finding {
        let alert = incident.alert
        let flow = incident.flow
        func n(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        let message =
            "IDS alert \"\(alert.signature ?? "?")\" for \(alert.sourceAddress) and a connection from it to "
            + "\(endpoint(flow.destinationAddress, flow.destinationPort)) in CDE zone \(zone.id) (\(row)): one incident "
            + "of \(n(incident.alerts, "IDS alert")) and \(n(incident.flows, "connection")) since "
            + "\(Timestamp.format(incident.firstSeen)), the last at \(Timestamp.format(incident.lastSeen))."
        return Finding(
            rule: EvaluationRule.idsIncident, severity: .critical, requirements: [Requirement("10.4.1")], zone: zone.id,
            host: flow.destinationAddress, transport: flow.transport, port: flow.destinationPort,
            subject: "incident from \(alert.sourceAddress)", message: message,
            remediation: "Start incident response for this source and the CDE host it reached.",
            evidence: [
                FindingEvidence(
                    kind: "ids-alert",
                    summary: "\(alert.origin.rawValue) \(alert.signatureID.map { "sid \($0) " } ?? "")"
                        + "\(alert.signature ?? "") severity \(alert.severity.map(String.init) ?? "?")",
                    time: alert.time, source: .flow),
                flowEvidence(flow),
            ])
    }

    static func authThenAccess(_ flow: FlowEvent, failures: [SecurityEvent], zone: Zone) -> Finding {
        let users = Set(failures.compactMap(\.user)).sorted().joined(separator: ", ")
        return Finding(
            rule: EvaluationRule.authFailuresThenAccess, severity: .high, requirements: [Requirement("10.4.1")],
            zone: zone.id, host: flow.destinationAddress, transport: flow.transport, port: flow.destinationPort,
            subject: "access after failures from \(flow.sourceAddress)",
            message: "\(failures.count) authentication failures from \(flow.sourceAddress)"
                + (users.isEmpty ? "" : " (users \(users))") + " were followed by a connection from it to "
                + "\(endpoint(flow.destinationAddress, flow.destinationPort)) in CDE zone \(zone.id).",
            remediation: "Check whether the source guessed its way in; review the accounts it tried.",
            evidence: failures.prefix(3).map {
                FindingEvidence(
                    kind: "auth-failure", summary: "\($0.origin.rawValue) \($0.user ?? "?") from \($0.sourceAddress)",
                    time: $0.time, source: .flow)
            } + [flowEvidence(flow)])
    }

    static func silentSource(_ source: String, lastHeard: Date, now: Date) -> Finding {
        Finding(
            rule: EvaluationRule.logSourceSilent, severity: .high, requirements: [Requirement("10.7.2")],
            subject: "log source \(source)",
            message: "Log source \(source) has written nothing since \(Timestamp.format(lastHeard)) "
                + "(\(Int(now.timeIntervalSince(lastHeard) / 60)) minutes): a silent firewall or sensor log is a failed "
                + "security control until shown otherwise.",
            remediation: "Check that the source still logs and that its logs still reach Portwarden.",
            evidence: [
                FindingEvidence(
                    kind: "heartbeat", summary: "last event \(Timestamp.format(lastHeard))", time: lastHeard)
            ])
    }
}
