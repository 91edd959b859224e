import PortwardenCore

extension PortJudge {
    /// How sure the evaluator is that an insecure service is there.
    enum MatchConfidence: String {
        /// A handshake, an old TLS version or a known executable proved it.
        case confirmed
        /// Only the candidate port is open.
        case portOnly = "port-only"
    }

    /// PW-INSECURE-SERVICE / PW-CLEARTEXT-ADMIN / PW-CLEARTEXT-AUTH from the rule pack.
    func judgeInsecure(_ port: Port, into out: inout PortJudgement) {
        let pack = context.pack
        let candidates = pack.ruleIndices(for: port.key.transport, port: port.key.port)
        var confirmed: [Int] = []
        var notMatched: [Int] = []
        var oldTLS: Set<String> = []
        for member in port.open {
            let observation = observations[Int(member)]
            if let handshakes = observation.handshakes {
                for (id, result) in handshakes {
                    guard let rule = pack.ruleIndex(id: id) else { continue }
                    if result == MatchConfidence.confirmed.rawValue {
                        confirmed.append(rule)
                    } else if result == "not-matched" {
                        notMatched.append(rule)
                    }
                }
            }
            if let tls = observation.tls {
                oldTLS.formUnion(tls.filter { InsecureServiceRulePack.oldTLSVersions.contains($0) })
            }
            if observation.source == .host, let process = observation.process {
                let name = InsecureServiceRulePack.basename(process)
                confirmed.append(contentsOf: candidates.filter { pack.rules[$0].processes.contains(name) })
            }
        }
        if !oldTLS.isEmpty, let rule = pack.ruleIndex(id: InsecureServiceRulePack.oldTLSRuleID) {
            confirmed.append(rule)
        }
        guard !candidates.isEmpty || !confirmed.isEmpty else { return }
        var matches: [(rule: Int, confidence: MatchConfidence)] = Set(confirmed).sorted().map { ($0, .confirmed) }
        for rule in candidates where !confirmed.contains(rule) && !notMatched.contains(rule) {
            matches.append((rule, .portOnly))
        }
        for match in matches {
            let rule = pack.rules[match.rule]
            let accepting = port.exceptions.filter {
                context.exceptionValid[Int($0)] && context.exception($0, accepts: [rule.id, rule.findingRule])
            }
            guard accepting.isEmpty else { continue }
            out.findings.append(insecureFinding(port, rule, match.confidence, oldTLS: oldTLS.sorted()))
        }
    }

    private func insecureFinding(
        _ port: Port, _ rule: InsecureServiceRule, _ confidence: MatchConfidence, oldTLS: [String]
    ) -> Finding {
        let full = rule.severity(inCDE: port.inCDE)
        let severity = confidence == .confirmed ? full : full.lowered
        let place = "\(port.label) on \(port.key.host) \(EvidenceText.zonePhrase(port.zone))"
        var message: String
        switch confidence {
        case .confirmed:
            message = "\(rule.name) (\(rule.id)) is confirmed on \(place)"
            if rule.id == InsecureServiceRulePack.oldTLSRuleID, !oldTLS.isEmpty {
                message += ", which accepts \(EvidenceText.list(oldTLS))"
            }
        case .portOnly:
            message = "Probable \(rule.name) (\(rule.id)) on \(place): the port is open but no handshake confirmed it"
        }
        message += ". \(rule.why)"
        var evidence = EvidenceText.evidence(port.open, in: observations, limit: context.options.maxEvidencePerFinding)
        evidence.append(
            FindingEvidence(kind: "match", summary: "\(rule.id) \(confidence.rawValue) (basis: \(rule.basis.rawValue))")
        )
        for index in port.exceptions where !context.exceptionValid[Int(index)] {
            let exception = context.policy.exceptions[Int(index)]
            evidence.append(
                EvidenceText.policy(
                    "exception", "exception \(exception.id) expired \(exception.expires?.description ?? "")"))
        }
        return Finding(
            rule: rule.findingRule, severity: severity, requirements: rule.requirements, zone: port.zone,
            host: port.key.host, transport: port.key.transport, port: port.key.port, subject: rule.id,
            message: message, remediation: rule.remediation, evidence: evidence)
    }
}
