import PortwardenCore

extension PortJudge {
    /// PW-SOURCE-NOT-PERMITTED: scans from vantage zones that no covering service or valid exception
    /// allows.
    func judgeAccess(_ port: Port, validExceptions: [Int32], into out: inout PortJudgement) {
        var decided: [(vantage: String, allowed: Bool)] = []
        var denied: [Int32] = []
        for member in port.open {
            let source = observations[Int(member)].source
            guard source == .scan || source == .import, let vantage = observations[Int(member)].vantage
            else { continue }
            let allowed: Bool
            if let known = decided.first(where: { $0.vantage == vantage }) {
                allowed = known.allowed
            } else {
                allowed = permits(vantage, port: port, exceptions: validExceptions)
                decided.append((vantage, allowed))
            }
            if !allowed { denied.append(member) }
        }
        guard !denied.isEmpty else { return }
        if let finding = sourceFinding(port, denied: denied, validExceptions: validExceptions) {
            out.findings.append(finding)
        }
    }

    private func permits(_ vantage: String, port: Port, exceptions: [Int32]) -> Bool {
        let zones = context.zones
        for index in port.services {
            let service = context.policy.services[Int(index)]
            if zones.permits(service.allowFrom, ownZone: service.zone, vantage: vantage) { return true }
        }
        for index in exceptions {
            let exception = context.policy.exceptions[Int(index)]
            if zones.permits(exception.allowFrom, ownZone: exception.zone, vantage: vantage) { return true }
        }
        return false
    }

    private func sourceFinding(_ port: Port, denied: [Int32], validExceptions: [Int32]) -> Finding? {
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
        let vantages = EvidenceText.vantages(denied, in: observations)
        let ownerInCDE = context.zones.isCDE(id: ownerZone)
        let fromOutside = vantages.contains { !context.zones.isCDE(id: $0) }
        let allowed =
            allowFrom.isEmpty ? "its own zone \(ownerZone) only" : allowFrom.map(\.description).joined(separator: ", ")
        let message =
            "\(port.label) on \(port.key.host) (\(subject), zone \(ownerZone)) was reached from "
            + "\(EvidenceText.list(vantages)), which its allow-from (\(allowed)) does not permit: the segmentation "
            + "between these zones is not enforced."
        var evidence = EvidenceText.evidence(denied, in: observations, limit: context.options.maxEvidencePerFinding)
        evidence.append(EvidenceText.policy("policy", "\(subject) allow-from: \(allowed)"))
        return Finding(
            rule: EvaluationRule.sourceNotPermitted, severity: ownerInCDE && fromOutside ? .critical : .high,
            requirements: EvaluationRule.requirements(EvaluationRule.sourceNotPermitted), zone: port.zone ?? ownerZone,
            host: port.key.host, transport: port.key.transport, port: port.key.port,
            subject: String(subject.split(separator: " ").last ?? ""), message: message,
            remediation: EvaluationRule.remediation(EvaluationRule.sourceNotPermitted), evidence: evidence)
    }

    /// PW-BIND-SCOPE-WIDER and PW-UNEXPECTED-PROCESS from the host agent's view of a declared port.
    func judgeHostView(_ port: Port, into out: inout PortJudgement) {
        let agent = port.open.filter { observations[Int($0)].source == .host }
        guard !agent.isEmpty else { return }
        let services = port.services.map { context.policy.services[Int($0)] }
        guard let service = services.first else { return }
        let inCDE = port.inCDE || context.zones.isCDE(id: service.zone)
        let severity: Severity = inCDE ? .high : .medium
        let wide = agent.filter {
            let bind = observations[Int($0)].bind
            return bind == .wildcard || bind == .address
        }
        if !wide.isEmpty, services.allSatisfy({ $0.bind == .loopback }) {
            let message =
                "\(port.label) on \(port.key.host) (service \(service.id)) listens on "
                + "\(observations[Int(wide[0])].bind?.rawValue ?? "a wider scope") addresses, but the service "
                + "declares bind: loopback, so it is reachable from the network."
            out.findings.append(hostViewFinding(EvaluationRule.bindScopeWider, port, service, severity, message, wide))
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
                hostViewFinding(EvaluationRule.unexpectedProcess, port, service, severity, message, strangers))
        }
    }

    private func hostViewFinding(
        _ rule: String, _ port: Port, _ service: Service, _ severity: Severity, _ message: String, _ members: [Int32]
    ) -> Finding {
        Finding(
            rule: rule, severity: severity, requirements: EvaluationRule.requirements(rule),
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
