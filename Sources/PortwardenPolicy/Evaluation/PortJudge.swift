import PortwardenCore

/// Judges each (host, transport, port) group of observations against the policy: unauthorized
/// ports, expired exceptions, segmentation, host-view checks and the insecure-service pack.
struct PortJudge: Sendable {
    let context: EvaluationContext
    let observations: [Observation]
    let groups: ObservationGroups

    /// One group being judged.
    struct Port {
        var key: ObservationGroups.Key
        var slot: Int32
        var zone: String?
        /// The kind of the host's zone; `nil` outside every zone.
        var hostKind: ZoneKind?
        var inCDE: Bool
        /// Observations that show the port open.
        var open: [Int32]
        /// Covering services and exceptions (indices into the policy's lists).
        var services: [Int32]
        var exceptions: [Int32]
        var label: String
    }

    /// Whether an observation shows a listener: `open`, or UDP `open|filtered` reported by the host
    /// itself or by flows (a scan's UDP silence proves nothing).
    static func showsOpen(_ observation: Observation) -> Bool {
        showsOpen(state: observation.state, source: observation.source)
    }

    /// ``showsOpen(_:)`` on the two fields it needs (the hot loop reads them without copying the
    /// whole observation, whose strings would each be retained and released).
    static func showsOpen(state: PortState, source: ObservationSource) -> Bool {
        switch state {
        case .open: return true
        case .openFiltered: return source == .host || source == .flow
        default: return false
        }
    }

    /// Judges the groups in `range`.
    func judge(_ range: Range<Int>) -> PortJudgement {
        var out = PortJudgement(
            serviceCount: context.policy.services.count, exceptionCount: context.policy.exceptions.count)
        var services: [Int32] = []
        var exceptions: [Int32] = []
        for group in range {
            judgeGroup(group, into: &out, services: &services, exceptions: &exceptions)
        }
        return out
    }

    private func judgeGroup(
        _ group: Int, into out: inout PortJudgement, services: inout [Int32], exceptions: inout [Int32]
    ) {
        let key = groups.keys[group]
        let slot = context.zones.slot(of: key.host)
        var open: [Int32] = []
        var lookedAt = false
        var maybeOpen = false
        for member in groups.members(of: group) {
            let state = observations[Int(member)].state
            let source = observations[Int(member)].source
            if PortJudge.showsOpen(state: state, source: source) {
                open.append(member)
            } else if state == .openFiltered {
                maybeOpen = true
            } else if state != .unfiltered {
                lookedAt = true
            }
            if source == .host { out.agentHosts[key.host] = slot }
        }
        context.services.covering(key.host, slot: slot, key.transport, key.port, into: &services)
        for service in services {
            if !open.isEmpty || maybeOpen { out.serviceSeen[Int(service)] = true }
            if lookedAt { out.serviceLookedAt[Int(service)] = true }
        }
        guard !open.isEmpty else { return }
        context.exceptions.covering(key.host, slot: slot, key.transport, key.port, into: &exceptions)
        let zone = context.zones.zone(slot)
        let port = Port(
            key: key, slot: slot, zone: zone?.id, hostKind: zone?.kind, inCDE: zone?.isCDE ?? false, open: open,
            services: services, exceptions: exceptions, label: EvidenceText.port(key.transport, key.port))
        let insecureConfirmed = judgeInsecure(port, into: &out)
        judgeCoverage(port, into: &out, group: Int32(group), insecureConfirmed: insecureConfirmed)
    }

    /// Declared, excepted, expired or unauthorized.
    private func judgeCoverage(_ port: Port, into out: inout PortJudgement, group: Int32, insecureConfirmed: Bool) {
        let acceptingPort = port.exceptions.filter {
            context.exceptionValid[Int($0)] && context.exceptionAcceptsPort($0)
        }
        let approved = acceptingPort.filter { context.approvalGaps($0).isEmpty }
        if !port.services.isEmpty || !approved.isEmpty {
            judgeAccess(port, validExceptions: approved, into: &out)
            if !port.services.isEmpty { judgeHostView(port, into: &out) }
            return
        }
        if port.slot == ZoneMap.noZone {
            if !isLoopbackWildcard(port) { out.outsideHosts[port.key.host, default: []].append(group) }
            return
        }
        let expired = port.exceptions.filter { !context.exceptionValid[Int($0)] }
        if let first = expired.first, acceptingPort.isEmpty {
            for index in expired { out.exceptionRelied[Int(index)] = true }
            out.findings.append(
                expiredFinding(
                    port, exception: context.policy.exceptions[Int(first)], insecureConfirmed: insecureConfirmed))
        } else {
            out.findings.append(unauthorizedFinding(port, unapproved: acceptingPort))
        }
    }

    /// A host-agent listener bound to every address, seen on a loopback address that no zone
    /// holds: the wildcard bind is judged on the host's real addresses, not on 127.0.0.1 or ::1.
    private func isLoopbackWildcard(_ port: Port) -> Bool {
        guard port.key.host.isLoopback else { return false }
        return port.open.allSatisfy {
            EvidenceKind(source: observations[Int($0)].source, bind: observations[Int($0)].bind) == .hostAgent
                && observations[Int($0)].bind == .wildcard
        }
    }

    /// The facts of every open observation of a port: evidence kind and vantage kind, distinct.
    func evidenceFacts(_ members: [Int32]) -> [(EvidenceKind, VantageKind)] {
        var out: [(EvidenceKind, VantageKind)] = []
        for member in members {
            let member = Int(member)
            let kind = EvidenceKind(source: observations[member].source, bind: observations[member].bind)
            let vantage =
                kind.isNetwork
                ? context.resolveVantage(observations[member].vantage, source: observations[member].sourceAddress).kind
                : .unknown
            if !out.contains(where: { $0.0 == kind && $0.1 == vantage }) { out.append((kind, vantage)) }
        }
        return out
    }

    private func unauthorizedFinding(_ port: Port, unapproved: [Int32]) -> Finding {
        let tagging = RequirementTags.unauthorizedPort(host: port.hostKind, observed: evidenceFacts(port.open))
        let network = port.open.filter {
            EvidenceKind(source: observations[Int($0)].source, bind: observations[Int($0)].bind).isNetwork
        }
        // Half of a worst-case run's findings are this one: the sentence is appended into one buffer
        // rather than interpolated and concatenated piece by piece.
        var message = ""
        message.reserveCapacity(192)
        message += port.label
        if let service = port.open.lazy.compactMap({ observations[Int($0)].service }).first {
            message += " ("
            message += service
            message += ")"
        }
        message += " is open on "
        message += port.key.host.description
        message += " "
        if let zone = port.zone {
            message += "in zone "
            message += zone
        } else {
            message += EvidenceText.zonePhrase(nil)
        }
        message += ", but no declared service or valid exception covers it."
        if network.isEmpty {
            message += " The host's own listener inventory reports it (no network control was tested)."
        } else {
            message += " Reached from "
            message += EvidenceText.list(EvidenceText.vantages(network, in: observations))
            message += "."
        }
        if tagging.notes.contains(RequirementTags.vantageUnknown) {
            message +=
                " Vantage unknown for some of the evidence: no scan origin is recorded, so no 1.3.x claim is made."
        }
        if tagging.requirements.isEmpty { message += EvidenceText.hygiene(port.hostKind) }
        for index in unapproved {
            let exception = context.policy.exceptions[Int(index)]
            message +=
                " Exception \(exception.id) covers it but cannot discharge it: "
                + "\(EvidenceText.list(context.approvalGaps(index))) (PCI DSS 1.2.5 asks for the approval of each)."
        }
        return Finding(
            rule: EvaluationRule.unauthorizedPort, severity: tagging.severity, requirements: tagging.requirements,
            zone: port.zone, host: port.key.host, transport: port.key.transport, port: port.key.port, message: message,
            remediation: EvaluationRule.remediation(EvaluationRule.unauthorizedPort),
            evidence: EvidenceText.evidence(port.open, in: observations, limit: context.options.maxEvidencePerFinding))
    }

    private func expiredFinding(_ port: Port, exception: PolicyException, insecureConfirmed: Bool) -> Finding {
        let tagging = RequirementTags.expiredException(
            RequirementTags.unauthorizedPort(host: port.hostKind, observed: evidenceFacts(port.open)),
            insecureConfirmed: insecureConfirmed)
        let day = exception.expires?.description ?? "an earlier day"
        var message =
            "\(port.label) is open on \(port.key.host) \(EvidenceText.zonePhrase(port.zone)) and only exception "
            + "\(exception.id) covers it, which expired on \(day) (valid through 23:59:59 UTC that day): the port is "
            + "judged as unauthorized."
        if tagging.notes.contains(RequirementTags.vantageUnknown) { message += " Vantage unknown for some evidence." }
        if tagging.requirements.isEmpty { message += EvidenceText.hygiene(port.hostKind) }
        var evidence = EvidenceText.evidence(
            port.open, in: observations, limit: context.options.maxEvidencePerFinding, extra: 1)
        evidence.append(EvidenceText.policy("exception", "exception \(exception.id) expired \(day)"))
        return Finding(
            rule: EvaluationRule.exceptionExpired, severity: tagging.severity, requirements: tagging.requirements,
            zone: port.zone, host: port.key.host, transport: port.key.transport, port: port.key.port,
            subject: exception.id, message: message,
            remediation: EvaluationRule.remediation(EvaluationRule.exceptionExpired), evidence: evidence)
    }
}
