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
            key: key, slot: slot, zone: zone?.id, inCDE: zone?.isCDE ?? false, open: open, services: services,
            exceptions: exceptions, label: EvidenceText.port(key.transport, key.port))
        judgeCoverage(port, into: &out, group: Int32(group))
        judgeInsecure(port, into: &out)
    }

    /// Declared, excepted, expired or unauthorized.
    private func judgeCoverage(_ port: Port, into out: inout PortJudgement, group: Int32) {
        let validPortExceptions = port.exceptions.filter {
            context.exceptionValid[Int($0)] && context.exceptionAcceptsPort($0)
        }
        if !port.services.isEmpty || !validPortExceptions.isEmpty {
            judgeAccess(port, validExceptions: validPortExceptions, into: &out)
            if !port.services.isEmpty { judgeHostView(port, into: &out) }
            return
        }
        if port.slot == ZoneMap.noZone {
            out.outsideHosts[port.key.host, default: []].append(group)
            return
        }
        let expired = port.exceptions.filter { !context.exceptionValid[Int($0)] }
        if let first = expired.first {
            for index in expired { out.exceptionRelied[Int(index)] = true }
            out.findings.append(expiredFinding(port, exception: context.policy.exceptions[Int(first)]))
        } else {
            out.findings.append(unauthorizedFinding(port))
        }
    }

    private func unauthorizedFinding(_ port: Port) -> Finding {
        let network = port.open.filter { observations[Int($0)].source != .host }
        let severity: Severity
        var reach = ""
        if network.isEmpty {
            severity = port.inCDE ? .high : .medium
            reach = " The host's own listener inventory reports it."
        } else {
            let vantages = EvidenceText.vantages(network, in: observations)
            let fromOutside = network.contains { !context.zones.isCDE(id: observations[Int($0)].vantage) }
            severity = port.inCDE && fromOutside ? .critical : .high
            reach = " Reached from \(EvidenceText.list(vantages))."
        }
        let service = port.open.lazy.compactMap { observations[Int($0)].service }.first
        let serviceText = service.map { " (\($0))" } ?? ""
        let message =
            "\(port.label)\(serviceText) is open on \(port.key.host) \(EvidenceText.zonePhrase(port.zone)), but no "
            + "declared service or valid exception covers it.\(reach)"
        return Finding(
            rule: EvaluationRule.unauthorizedPort, severity: severity,
            requirements: EvaluationRule.requirements(EvaluationRule.unauthorizedPort), zone: port.zone,
            host: port.key.host, transport: port.key.transport, port: port.key.port, message: message,
            remediation: EvaluationRule.remediation(EvaluationRule.unauthorizedPort),
            evidence: EvidenceText.evidence(port.open, in: observations, limit: context.options.maxEvidencePerFinding))
    }

    private func expiredFinding(_ port: Port, exception: PolicyException) -> Finding {
        let day = exception.expires?.description ?? "an earlier day"
        let message =
            "\(port.label) is open on \(port.key.host) \(EvidenceText.zonePhrase(port.zone)) and only exception "
            + "\(exception.id) covers it, which expired on \(day) (valid through 23:59:59 UTC that day). Close the "
            + "port or renew the exception."
        var evidence = EvidenceText.evidence(port.open, in: observations, limit: context.options.maxEvidencePerFinding)
        evidence.append(EvidenceText.policy("exception", "exception \(exception.id) expired \(day)"))
        return Finding(
            rule: EvaluationRule.exceptionExpired, severity: .high,
            requirements: EvaluationRule.requirements(EvaluationRule.exceptionExpired), zone: port.zone,
            host: port.key.host, transport: port.key.transport, port: port.key.port, subject: exception.id,
            message: message, remediation: EvaluationRule.remediation(EvaluationRule.exceptionExpired),
            evidence: evidence)
    }
}
