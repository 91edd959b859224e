import PortwardenCore
import PortwardenPolicy

extension RulesetVerifier {
    /// Declared flows the ruleset drops: a few concrete connections per flow, followed through the hook.
    func blockedFlows(_ ruleset: NftRuleset, _ scope: VerificationScope) -> ([Finding], [String], Int) {
        let walk = PacketWalk(ruleset: ruleset)
        var findings: [Finding] = []
        var notes: [String] = []
        for (box, flow) in scope.declared {
            for packet in samples(box, flow: flow) {
                switch walk.outcome(packet, hook: scope.hook) {
                case .accepted: continue
                case .dropped(let table, let chain, let handle):
                    let by = handle.map { "rule \(table) \(chain) handle \($0)" } ?? "the policy of \(table) \(chain)"
                    findings.append(blockedFinding(flow, packet, by: by))
                case .uncertain(let table, let chain, let handle):
                    notes.append(
                        "\(describe(flow)): \(describe(packet)) meets \(table) \(chain) handle \(handle.map(String.init) ?? "-"), which could not be read; whether it passes is unknown"
                    )
                }
                break
            }
        }
        return (findings, notes, scope.declared.count)
    }

    /// One connection per source range, destination range and port range start (at most 8).
    func samples(_ box: PacketBox, flow: DeclaredFlow) -> [ProbePacket] {
        var out: [ProbePacket] = []
        let family = box.family
        func pick(_ range: ClosedRange<UInt128>) -> UInt128 {
            range.upperBound - range.lowerBound >= 2 ? range.lowerBound + 1 : range.lowerBound
        }
        for source in box.sources.ranges.prefix(2) {
            for destination in box.destinations.ranges.prefix(2) {
                for service in box.services.ranges.prefix(2) {
                    let (transport, port) = PacketBox.Service.split(service.lowerBound)
                    out.append(
                        ProbePacket(
                            source: family.address(pick(source)), destination: family.address(pick(destination)),
                            transport: transport, port: port))
                }
            }
        }
        return out
    }

    func describe(_ flow: DeclaredFlow) -> String {
        "\(flow.origin.isException ? "exception" : "service") \(flow.origin.id)"
    }

    func describe(_ packet: ProbePacket) -> String {
        "\(packet.family.address(packet.source)) → \(packet.family.address(packet.destination)) \(packet.transport.rawValue)/\(packet.port)"
    }

    func blockedFinding(_ flow: DeclaredFlow, _ packet: ProbePacket, by: String) -> Finding {
        let destination = packet.family.address(packet.destination)
        return Finding(
            rule: EvaluationRule.flowBlocked, severity: .info, requirements: [], zone: flow.zone, host: destination,
            transport: packet.transport, port: packet.port, subject: flow.origin.id,
            message:
                "The ruleset drops the declared flow of \(describe(flow)) (from \(flow.sources.map(\.description).joined(separator: ", "))): \(describe(packet)) is dropped by \(by)",
            remediation:
                "Load the ruleset generated from the policy (portwarden enforce apply), or remove the flow from the policy if it is no longer needed",
            evidence: [FindingEvidence(kind: "ruleset", summary: by)])
    }
}
