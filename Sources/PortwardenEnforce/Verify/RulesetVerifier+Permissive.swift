import PortwardenCore
import PortwardenPolicy

extension RulesetVerifier {
    /// Accepting rules that let through connections no declared flow covers.
    func overPermissive(_ ruleset: NftRuleset, _ scope: VerificationScope) -> ([Finding], [String], Int) {
        let chains = BaseChains.of(ruleset, hook: scope.hook, family: scope.family)
        var pathsByChain: [[AcceptPath]] = []
        var denies: [Bool] = []
        var notes: [String] = []
        for (table, chain) in chains {
            var walker = AcceptPathWalker(table: table)
            walker.walk(chain: chain.name, box: scope.universe, via: [], uncertain: false, depth: 0)
            pathsByChain.append(walker.paths)
            for broken in walker.brokenJumps {
                notes.append(
                    "\(table.family) \(table.name) \(broken.chain) handle \(broken.rule.handle.map(String.init) ?? "-") jumps to \(broken.target), which does not exist or nests too deep; not followed"
                )
            }
            if case .drop = DefaultVerdict.of(chain, in: table, universe: scope.universe) {
                denies.append(true)
            } else {
                denies.append(false)
            }
        }
        let coverage = CoverageCheck(declared: scope.declared.map(\.box))
        var findings: [Finding] = []
        var examined = 0
        for (index, paths) in pathsByChain.enumerated() {
            for path in paths {
                examined += 1
                // Another base chain on the hook with a default drop lets through only what it accepts.
                var pieces = [path.box]
                for (other, otherPaths) in pathsByChain.enumerated() where other != index && denies[other] {
                    pieces = Array(
                        pieces.flatMap { piece in otherPaths.compactMap { piece.intersection($0.box) } }.prefix(256))
                }
                for piece in pieces {
                    guard let witness = coverage.uncovered(piece) else { continue }
                    findings.append(
                        permissiveFinding(path, piece: piece, witness: witness, scope: scope, coverage: coverage))
                    break
                }
            }
        }
        return (findings, notes, examined)
    }

    func permissiveFinding(
        _ path: AcceptPath, piece: PacketBox, witness: (source: UInt128, destination: UInt128, service: UInt128),
        scope: VerificationScope, coverage: CoverageCheck
    ) -> Finding {
        let family = scope.family
        let source = family.address(witness.source)
        let destination = family.address(witness.destination)
        let (transport, port) = PacketBox.Service.split(witness.service)
        let location =
            "\(path.table.family) \(path.table.name) \(path.chain) handle \(path.rule.handle.map(String.init) ?? "-")"
        var requirements: Set<Requirement> = [Requirement("1.2.1")]
        for (sourceKind, targetKind) in excessZonePairs(piece, coverage: coverage) {
            requirements.formUnion(ZonePairTags.requirements(source: sourceKind, target: targetKind))
        }
        requirements.remove(Requirement("1.2.5"))
        let via = path.via.isEmpty ? "" : " (reached via \(path.via.joined(separator: " → ")))"
        let doubt =
            path.uncertain
            ? " Parts of the path could not be read (\(path.rule.unknown.joined(separator: ", "))); they were taken as matching everything."
            : ""
        let verb = path.uncertain ? "may accept" : "accepts"
        let message =
            "Rule \(location)\(via) \(verb) \(scope.family.rawValue) connections \(scope.label) that no declared flow allows, e.g. \(source) → \(destination) \(transport.rawValue)/\(port): \(path.rule.text).\(doubt)"
        return Finding(
            rule: EvaluationRule.overPermissiveRule, severity: path.uncertain ? .medium : .high,
            requirements: requirements.sorted(),
            zone: plan.zone(containing: destination)?.id, host: destination, transport: transport, port: port,
            subject: location, message: message,
            remediation:
                "Narrow or remove the rule so that it accepts only declared flows (regenerate with portwarden enforce nft), or declare the flow in the policy with a justification",
            evidence: [FindingEvidence(kind: "ruleset", summary: path.rule.text)])
    }

    /// The zone kinds (source, target) of the packets in `piece` that no declared flow covers.
    func excessZonePairs(_ piece: PacketBox, coverage: CoverageCheck) -> [(ZoneKind?, ZoneKind?)] {
        let family = piece.family
        var regions: [(ZoneKind?, IntervalSet)] = plan.zones.map {
            ($0.kind, IntervalSet(prefixes: $0.prefixes, family: family))
        }
        let zoned = regions.reduce(IntervalSet.empty) { $0.union($1.1) }
        regions.append((nil, zoned.complement(upTo: family.maximum)))
        var pairs: [(ZoneKind?, ZoneKind?)] = []
        var seen: Set<String> = []
        for (sourceKind, sources) in regions {
            let s = piece.sources.intersection(sources)
            if s.isEmpty { continue }
            for (targetKind, targets) in regions {
                let key = "\(sourceKind?.rawValue ?? "-") \(targetKind?.rawValue ?? "-")"
                if seen.contains(key) { continue }
                let d = piece.destinations.intersection(targets)
                if d.isEmpty { continue }
                var restricted = piece
                restricted.sources = s
                restricted.destinations = d
                if coverage.uncovered(restricted) != nil {
                    seen.insert(key)
                    pairs.append((sourceKind, targetKind))
                }
            }
        }
        return pairs
    }
}
