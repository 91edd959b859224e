import PortwardenCore

extension PortJudge {
    /// How sure the evaluator is that an insecure service is there.
    enum MatchConfidence: String {
        /// A network handshake, an old TLS version or (for rules that do not depend on the
        /// configuration) a known executable proved it.
        case confirmed
        /// The service offers TLS, but whether cleartext is refused was not tested.
        case tlsAvailable = "tls-available"
        /// The host agent saw the product's executable; the weakness depends on its configuration.
        case probable
        /// Only the candidate port is open.
        case portOnly = "port-only"
    }

    /// One rule's verdict on one port.
    struct InsecureMatch {
        var rule: Int
        var confidence: MatchConfidence
        /// What the handshake reported beside its verdict (`security types 1, 2`).
        var detail: String?
    }

    /// PW-INSECURE-SERVICE / PW-CLEARTEXT-ADMIN / PW-CLEARTEXT-AUTH, and the unverified readings
    /// (PW-UNVERIFIED-SERVICE, PW-TLS-ENFORCEMENT-UNVERIFIED), from the rule pack.
    /// - Returns: whether some rule was confirmed on the port.
    @discardableResult
    func judgeInsecure(_ port: Port, into out: inout PortJudgement) -> Bool {
        let matches = insecureMatches(port)
        var oldTLS: Set<String> = []
        for member in port.open {
            if let tls = observations[Int(member)].tls {
                oldTLS.formUnion(tls.filter { InsecureServiceRulePack.oldTLSVersions.contains($0) })
            }
        }
        let confirmedRules = Set(matches.filter { $0.confidence == .confirmed }.map(\.rule))
        for match in matches {
            if let finding = insecureFinding(port, match, oldTLS: oldTLS.sorted(), confirmedRules: confirmedRules) {
                out.findings.append(finding)
            }
        }
        return !confirmedRules.isEmpty
    }

    /// Every rule's verdict on a port. A network handshake decides: `not-matched` from the network
    /// beats a host process and the port number; a process proves only the product for rules whose
    /// weakness depends on the configuration.
    func insecureMatches(_ port: Port) -> [InsecureMatch] {
        let pack = context.pack
        let candidates = pack.ruleIndices(for: port.key.transport, port: port.key.port)
        // Most open ports are no rule's candidate and carry nothing a rule reads.
        if candidates.isEmpty,
            port.open.allSatisfy({
                observations[Int($0)].handshakes == nil && observations[Int($0)].tls == nil
                    && observations[Int($0)].process == nil
            })
        {
            return []
        }
        var confirmed: [Int: String?] = [:]
        var tlsAvailable: [Int: String?] = [:]
        var notMatched: Set<Int> = []
        var byProcess: Set<Int> = []
        var oldTLS = false
        // Field reads through the index: binding whole observations would retain and release every
        // string they hold.
        for member in port.open {
            let member = Int(member)
            if let handshakes = observations[member].handshakes {
                for (id, result) in handshakes {
                    guard let rule = pack.ruleIndex(id: id) else { continue }
                    let (verdict, detail) = HandshakeResult.parse(result)
                    switch verdict {
                    case .confirmed: confirmed[rule] = detail
                    case .tlsAvailable: tlsAvailable[rule] = detail
                    case .notMatched: notMatched.insert(rule)
                    case .other: break
                    }
                }
            }
            if let tls = observations[member].tls,
                tls.contains(where: { InsecureServiceRulePack.oldTLSVersions.contains($0) })
            {
                oldTLS = true
            }
            if EvidenceKind(source: observations[member].source, bind: observations[member].bind) == .hostAgent,
                let process = observations[member].process
            {
                let name = InsecureServiceRulePack.basename(process)
                byProcess.formUnion(candidates.filter { pack.rules[$0].processes.contains(name) })
            }
        }
        if oldTLS, let rule = pack.ruleIndex(id: InsecureServiceRulePack.oldTLSRuleID), confirmed[rule] == nil {
            confirmed[rule] = .some(nil)
        }
        var matches: [InsecureMatch] = []
        let all = Set(candidates).union(confirmed.keys).union(tlsAvailable.keys).union(byProcess)
        for rule in all.sorted() {
            if let detail = confirmed[rule] {
                matches.append(InsecureMatch(rule: rule, confidence: .confirmed, detail: detail))
            } else if notMatched.contains(rule) {
                continue
            } else if let detail = tlsAvailable[rule] {
                matches.append(InsecureMatch(rule: rule, confidence: .tlsAvailable, detail: detail))
            } else if byProcess.contains(rule) {
                let dependent = pack.rules[rule].configurationDependent
                matches.append(InsecureMatch(rule: rule, confidence: dependent ? .probable : .confirmed))
            } else if pack.rules[rule].reportsPortOnly {
                matches.append(InsecureMatch(rule: rule, confidence: .portOnly))
            }
        }
        return matches
    }

    private func insecureFinding(
        _ port: Port, _ match: InsecureMatch, oldTLS: [String], confirmedRules: Set<Int>
    ) -> Finding? {
        let rule = context.pack.rules[match.rule]
        let accepting = port.exceptions.filter {
            context.exceptionValid[Int($0)] && context.exception($0, accepts: [rule.id, rule.findingRule])
        }
        switch match.confidence {
        case .confirmed:
            return confirmedFinding(port, rule, match, oldTLS: oldTLS, confirmedRules: confirmedRules, accepting)
        case .tlsAvailable, .probable, .portOnly:
            // An exception that accepts the rule accepts its unverified readings too.
            guard accepting.isEmpty else { return nil }
            return unverifiedFinding(port, rule, match)
        }
    }

    private func unverifiedFinding(_ port: Port, _ rule: InsecureServiceRule, _ match: InsecureMatch) -> Finding {
        let place = "\(port.label) on \(port.key.host) \(EvidenceText.zonePhrase(port.zone))"
        let findingRule: String
        let severity: Severity
        var message: String
        switch match.confidence {
        case .tlsAvailable:
            findingRule = EvaluationRule.tlsEnforcementUnverified
            severity = RequirementTags.inScope(port.hostKind) ? .medium : .low
            message =
                "TLS available, enforcement unverified: \(rule.name) (\(rule.id)) on \(place) offers TLS"
                + (match.detail.map { " (\($0))" } ?? "") + ", but whether it refuses cleartext logins was not "
                + "tested. Until that is shown, no requirement is claimed; if cleartext logins are accepted, the "
                + "service falls under \(rule.requirements.map(\.id).joined(separator: ", "))."
        case .probable:
            findingRule = EvaluationRule.unverifiedService
            severity = .info
            message =
                "Unverified, probable \(rule.name) (\(rule.id)) on \(place): the host agent saw its executable, which "
                + "proves the product, not the weakness (it depends on the configuration). No requirement is claimed "
                + "until a handshake confirms it."
        default:
            findingRule = EvaluationRule.unverifiedService
            severity = .info
            // One interpolation, one allocation: this is the most frequent insecure-pack reading.
            message = """
                Unverified, probable \(rule.name) (\(rule.id)) on \(place): the port is open but no handshake \
                confirmed it. No requirement is claimed and it does not count toward --fail-on.
                """
        }
        var evidence = EvidenceText.evidence(
            port.open, in: observations, limit: context.options.maxEvidencePerFinding, extra: 1)
        evidence.append(matchEvidence(rule, match))
        return Finding(
            rule: findingRule, severity: severity, requirements: [], zone: port.zone, host: port.key.host,
            transport: port.key.transport, port: port.key.port, subject: rule.id, message: message,
            remediation: match.confidence == .tlsAvailable
                ? "Require TLS before authentication (refuse cleartext logins) and re-run detection, or close the "
                    + "cleartext port."
                : """
                Run service detection on the port (or from a vantage that reaches it) to confirm or rule out \
                \(rule.name).
                """,
            evidence: evidence)
    }

    private func confirmedFinding(
        _ port: Port, _ rule: InsecureServiceRule, _ match: InsecureMatch, oldTLS: [String], confirmedRules: Set<Int>,
        _ accepting: [Int32]
    ) -> Finding? {
        var requirements = rule.requirements
        if InsecureServiceRulePack.tlsQualityRuleIDs.contains(rule.id) {
            requirements = tlsQualityRequirements(rule, confirmedRules: confirmedRules)
        }
        var tagging = RequirementTags.insecureService(
            requirements: requirements, severity: rule.severity(inCDE: port.inCDE), host: port.hostKind)
        let place = "\(port.label) on \(port.key.host) \(EvidenceText.zonePhrase(port.zone))"
        var message = "\(rule.name) (\(rule.id)) is confirmed on \(place)"
        if let detail = match.detail { message += " (\(detail))" }
        if rule.id == InsecureServiceRulePack.oldTLSRuleID, !oldTLS.isEmpty {
            message += ", which accepts \(EvidenceText.list(oldTLS))"
            if oldTLS.contains("TLSv1.1") {
                message += " (TLS 1.1 is judged on RFC 8996 and NIST SP 800-52r2; PCI DSS's \"early TLS\" is TLS 1.0)"
            }
        }
        message += ". \(rule.why)"
        if tagging.requirements.isEmpty { message += EvidenceText.hygiene(port.hostKind) }
        var evidence = EvidenceText.evidence(
            port.open, in: observations, limit: context.options.maxEvidencePerFinding, extra: 1)
        evidence.append(matchEvidence(rule, match))
        for index in port.exceptions where !context.exceptionValid[Int(index)] {
            let exception = context.policy.exceptions[Int(index)]
            evidence.append(
                EvidenceText.policy(
                    "exception", "exception \(exception.id) expired \(exception.expires?.description ?? "")"))
        }
        if !accepting.isEmpty {
            let judged = ExceptionLimits(context: context, rule: rule).judge(accepting, tagging: tagging)
            guard let outcome = judged else { return nil }
            tagging = outcome.tagging
            message += " " + outcome.sentence
            evidence.append(EvidenceText.policy("exception", outcome.evidence))
        }
        return Finding(
            rule: rule.findingRule, severity: tagging.severity, requirements: tagging.requirements, zone: port.zone,
            host: port.key.host, transport: port.key.transport, port: port.key.port, subject: rule.id,
            message: message, remediation: rule.remediation, evidence: evidence)
    }

    /// INS-TLS-OLD and the other TLS-quality rules: always 2.2.5 and 1.2.6; 2.2.7 as well when an
    /// administrative-access rule was confirmed on the same port, 8.3.2 when a cleartext-credential
    /// rule was.
    private func tlsQualityRequirements(_ rule: InsecureServiceRule, confirmedRules: Set<Int>) -> [Requirement] {
        var out = rule.requirements
        for index in confirmedRules {
            let other = context.pack.rules[index]
            guard !InsecureServiceRulePack.tlsQualityRuleIDs.contains(other.id) else { continue }
            for extra in ["2.2.7", "8.3.2"] where other.requirements.contains(Requirement(extra)) {
                if !out.contains(Requirement(extra)) { out.append(Requirement(extra)) }
            }
        }
        return out
    }

    private func matchEvidence(_ rule: InsecureServiceRule, _ match: InsecureMatch) -> FindingEvidence {
        var summary = "\(rule.id) \(match.confidence.rawValue) (basis: \(rule.basis.rawValue))"
        if let detail = match.detail { summary += ": \(detail)" }
        return FindingEvidence(kind: "match", summary: summary)
    }
}
