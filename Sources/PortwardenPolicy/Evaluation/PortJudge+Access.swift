import PortwardenCore

extension PortJudge {
    /// PW-SOURCE-NOT-PERMITTED: scans whose source (the zone of the recorded source address, else
    /// the vantage zone) no covering service or valid exception allows.
    func judgeAccess(_ port: Port, validExceptions: [Int32], into out: inout PortJudgement) {
        var decided: [(label: String?, source: IPAddress?, vantage: ResolvedVantage, allowed: Bool)] = []
        var denied: [(member: Int32, vantage: ResolvedVantage)] = []
        // Field reads through the index: binding whole observations would retain and release every
        // string they hold.
        for member in port.open {
            let observationSource = observations[Int(member)].source
            guard EvidenceKind(source: observationSource, bind: observations[Int(member)].bind).isNetwork,
                observationSource != .flow
            else { continue }
            let label = observations[Int(member)].vantage
            let source = observations[Int(member)].sourceAddress
            let entry: (vantage: ResolvedVantage, allowed: Bool)
            if let known = decided.first(where: { $0.label == label && $0.source == source }) {
                entry = (known.vantage, known.allowed)
            } else {
                let vantage = context.resolveVantage(label, source: source)
                let allowed = permits(vantage, source: source, port: port, exceptions: validExceptions)
                decided.append((label, source, vantage, allowed))
                entry = (vantage, allowed)
            }
            if !entry.allowed { denied.append((member, entry.vantage)) }
        }
        guard !denied.isEmpty else { return }
        if let finding = sourceFinding(port, denied: denied, validExceptions: validExceptions) {
            out.findings.append(finding)
        }
    }

    private func permits(_ vantage: ResolvedVantage, source: IPAddress?, port: Port, exceptions: [Int32]) -> Bool {
        for index in port.services {
            let service = context.policy.services[Int(index)]
            if permits(service.allowFrom, ownZone: service.zone, vantage: vantage, source: source) { return true }
        }
        for index in exceptions {
            let exception = context.policy.exceptions[Int(index)]
            if permits(exception.allowFrom, ownZone: exception.zone, vantage: vantage, source: source) { return true }
        }
        return false
    }

    /// Whether `allowFrom` of an object in `ownZone` admits probes from `vantage`. A prefix entry is
    /// judged against the recorded source address when there is one (scanning from exactly the
    /// allowed `10.20.9.5/32` is allowed); without it, the vantage zone must lie inside the prefix.
    private func permits(
        _ allowFrom: [AccessSource], ownZone: String, vantage: ResolvedVantage, source: IPAddress?
    ) -> Bool {
        if let zone = vantage.zone, zone == ownZone { return true }
        for entry in allowFrom {
            switch entry {
            case .any: return true
            case .zone(let id): if id == vantage.zone { return true }
            case .prefix(let block):
                if let source {
                    if block.contains(source) { return true }
                } else if let zone = vantage.zone, context.zones.permits([entry], ownZone: ownZone, vantage: zone) {
                    return true
                }
            }
        }
        return false
    }

    private func sourceFinding(
        _ port: Port, denied: [(member: Int32, vantage: ResolvedVantage)], validExceptions: [Int32]
    ) -> Finding? {
        let subject: String
        let ownerZone: String
        let allowFrom: [AccessSource]
        if let first = port.services.first {
            let service = context.policy.services[Int(first)]
            (subject, ownerZone, allowFrom) = ("service \(service.id)", service.zone, service.allowFrom)
        } else if let first = validExceptions.first {
            let exception = context.policy.exceptions[Int(first)]
            (subject, ownerZone, allowFrom) = ("exception \(exception.id)", exception.zone, exception.allowFrom)
        } else {
            return nil
        }
        let target = port.hostKind ?? context.zones.zone(id: ownerZone)?.kind
        let tagging = RequirementTags.combine(
            denied.map { RequirementTags.sourceNotPermitted(target: target, vantage: $0.vantage.kind) })
        let members = denied.map(\.member)
        let sources = EvidenceText.sources(denied.map { ($0.vantage.zone, observations[Int($0.member)]) })
        let allowed =
            allowFrom.isEmpty ? "its own zone \(ownerZone) only" : allowFrom.map(\.description).joined(separator: ", ")
        var message =
            "\(port.label) on \(port.key.host) (\(subject), zone \(ownerZone)) was reached from "
            + "\(EvidenceText.list(sources)), which its allow-from (\(allowed)) does not permit: the network security "
            + "control between them lets this traffic through."
        if tagging.notes.contains(RequirementTags.vantageUnknown) {
            message += " Vantage unknown: no declared zone holds the scan's origin, so no 1.3.x claim is made."
        }
        if tagging.requirements.isEmpty { message += EvidenceText.hygiene(target) }
        var evidence = EvidenceText.evidence(
            members, in: observations, limit: context.options.maxEvidencePerFinding, extra: 1)
        evidence.append(EvidenceText.policy("policy", "\(subject) allow-from: \(allowed)"))
        let kinds = denied.compactMap { entry -> ZoneKind? in
            if case .zone(let kind) = entry.vantage.kind { return kind }
            return nil
        }
        return Finding(
            rule: EvaluationRule.sourceNotPermitted, severity: tagging.severity, requirements: tagging.requirements,
            zone: port.zone ?? ownerZone, host: port.key.host, transport: port.key.transport, port: port.key.port,
            subject: String(subject.split(separator: " ").last ?? ""), message: message,
            remediation: EvaluationRule.sourceRemediation(vantageKinds: kinds), evidence: evidence)
    }

    /// PW-BIND-SCOPE-WIDER and PW-UNEXPECTED-PROCESS from the host agent's view of a declared port.
    func judgeHostView(_ port: Port, into out: inout PortJudgement) {
        let agent = port.open.filter { observations[Int($0)].source == .host }
        guard !agent.isEmpty else { return }
        let services = port.services.map { context.policy.services[Int($0)] }
        guard let service = services.first else { return }
        let tagging = RequirementTags.unauthorizedPort(
            host: port.hostKind ?? context.zones.zone(id: service.zone)?.kind, evidence: .hostAgent, vantage: .unknown)
        let wide = agent.filter {
            let bind = observations[Int($0)].bind
            return bind == .wildcard || bind == .address
        }
        if !wide.isEmpty, services.allSatisfy({ $0.bind == .loopback }) {
            let message =
                "\(port.label) on \(port.key.host) (service \(service.id)) listens on "
                + "\(observations[Int(wide[0])].bind?.rawValue ?? "a wider scope") addresses, but the service "
                + "declares bind: loopback, so it is reachable from the network."
            out.findings.append(
                hostViewFinding(EvaluationRule.bindScopeWider, port, service, tagging, message, wide))
        }
        let declared = services.compactMap { $0.process.flatMap { $0.isEmpty ? nil : $0 } }
        guard declared.count == services.count else { return }
        let strangers = agent.filter { member in
            guard let process = observations[Int(member)].process, !process.isEmpty else { return false }
            return !declared.contains { PortJudge.sameExecutable(declared: $0, observed: process) }
        }
        if let first = strangers.first, let process = observations[Int(first)].process {
            let message =
                "\(port.label) on \(port.key.host) (service \(service.id)) is held by \(process), but the service "
                + "declares process \(EvidenceText.list(declared))."
            out.findings.append(
                hostViewFinding(EvaluationRule.unexpectedProcess, port, service, tagging, message, strangers))
        }
    }

    private func hostViewFinding(
        _ rule: String, _ port: Port, _ service: Service, _ tagging: Tagging, _ message: String, _ members: [Int32]
    ) -> Finding {
        Finding(
            rule: rule, severity: tagging.severity, requirements: tagging.requirements,
            zone: port.zone ?? service.zone, host: port.key.host, transport: port.key.transport, port: port.key.port,
            subject: service.id, message: message, remediation: EvaluationRule.remediation(rule),
            evidence: EvidenceText.evidence(members, in: observations, limit: context.options.maxEvidencePerFinding))
    }

    /// Compares a declared process (a name or an absolute path) with an observed executable path.
    static func sameExecutable(declared: String, observed: String) -> Bool {
        if declared.contains("/") && observed.contains("/") { return declared == observed }
        return InsecureServiceRulePack.basename(declared) == InsecureServiceRulePack.basename(observed)
    }
}
