import PortwardenCore
import Testing

@testable import PortwardenEnforce

/// The packet walk (`RuleConstraint.admits`, which `enforce verify` uses for declared flows) gives the
/// answer of the box walk (`RuleConstraint.apply` on a one-packet box) on generated rulesets with random
/// hand-added rules, and on the captured rulesets Portwarden did not write.
@Suite("packet walk agrees with the box walk")
struct PacketWalkAgreementTests {
    static let addresses = ["10.90.1.5", "10.90.2.10", "10.90.3.10", "10.90.4.10", "10.90.5.7", "192.0.2.1"]
        .compactMap { IPAddress($0) }
    static let ports: [UInt16] = [22, 53, 80, 443, 514, 2323, 5432, 8443, 1, 65535]

    static func interval(_ random: inout SplitMix64) -> NftValue {
        switch random.below(3) {
        case 0:
            let a = UInt128(ports[random.below(ports.count)])
            let b = UInt128(ports[random.below(ports.count)])
            return .intervals(IntervalSet(min(a, b)...max(a, b)))
        case 1:
            let address = addresses[random.below(addresses.count)].value
            return .intervals(IntervalSet((address & ~0xFF)...(address | 0xFF)))
        default: return .setReference(["zone_cde_app_v4", "zone_corp_v4", "no_such_set"][random.below(3)])
        }
    }

    /// A rule of random matches over every field kind the analysis knows, with a random verdict.
    static func rule(_ random: inout SplitMix64, chains: [String], handle: Int) -> NftRule {
        var matches: [NftMatch] = []
        for _ in 0..<(1 + random.below(3)) {
            let negated = random.chance(20)
            let fields: [NftField] = [
                .address(.ipv4, source: true), .address(.ipv4, source: false), .address(.ipv6, source: true),
                .port("tcp", source: false), .port("udp", source: false), .port("th", source: false),
                .port("tcp", source: true), .port("sctp", source: false), .l4proto, .nfproto, .ctState,
                .interface("iifname"), .other("tcp flags"), .other("icmp type"), .other("ip ttl"),
                .other("ip6 hoplimit"),
                .other("meta mark"), .other("udp length"),
            ]
            let field = fields[random.below(fields.count)]
            let value: NftValue
            switch field {
            case .nfproto: value = .names([["ipv4"], ["ipv6"], ["ipv4", "ipv6"]][random.below(3)])
            case .ctState: value = .names([["new"], ["established", "related"], ["invalid"]][random.below(3)])
            case .interface: value = .names([["lo"], ["eth0"], ["lo", "eth0"]][random.below(3)])
            case .l4proto: value = .intervals(IntervalSet([6...6, 17...17, 1...1][random.below(3)]))
            default: value = interval(&random)
            }
            matches.append(NftMatch(field, value, negated: negated))
        }
        let verdicts: [NftVerdict] = [
            .accept, .drop, .reject, .return, .continue, .queue, .jump(chains[random.below(chains.count)]),
            .goto(chains[random.below(chains.count)]), .jump("no_such_chain"),
            .map(
                key: .port("tcp", source: false),
                entries: [
                    NftMapEntry(value: .intervals(IntervalSet(22...22)), verdict: .accept),
                    NftMapEntry(value: .intervals(IntervalSet(80...443)), verdict: .drop),
                ]),
        ]
        return NftRule(
            handle: handle, matches: matches, verdict: random.chance(5) ? nil : verdicts[random.below(verdicts.count)],
            unknown: random.chance(10) ? ["xt match"] : [])
    }

    static func packets(_ random: inout SplitMix64, count: Int) -> [ProbePacket] {
        (0..<count).map { _ in
            ProbePacket(
                source: addresses[random.below(addresses.count)], destination: addresses[random.below(addresses.count)],
                transport: random.chance(50) ? .tcp : .udp, port: ports[random.below(ports.count)])
        }
    }

    static func expectAgreement(_ ruleset: NftRuleset, _ packets: [ProbePacket], _ label: String) {
        let walk = PacketWalk(ruleset: ruleset)
        for hook in ["input", "forward", "output", "prerouting"] {
            for packet in packets {
                let fast = walk.outcome(packet, hook: hook)
                let reference = walk.boxOutcome(packet, hook: hook)
                #expect(fast == reference, "\(label) \(hook) \(packet)")
            }
        }
    }

    @Test(arguments: 0..<40)
    func generatedRulesetWithRandomRules(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        let generator = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01")
        let target: EnforcementTarget = seed % 4 == 3 ? .host(IPAddress("10.90.3.10")!) : .router
        var table = try generator.generate(for: target).table
        let chains = table.chains.map(\.name)
        for index in 0..<(5 + random.below(20)) {
            let chain = random.below(table.chains.count)
            let position = random.below(table.chains[chain].rules.count + 1)
            table.chains[chain].rules.insert(
                Self.rule(&random, chains: chains, handle: 1000 + index), at: position)
        }
        Self.expectAgreement(NftRuleset(tables: [table]), Self.packets(&random, count: 60), "seed \(seed)")
    }

    @Test(arguments: ["iptables-nft.json", "vmap-and-sets.json"])
    func capturedRulesets(name: String) throws {
        let read = try NftJSONReader.read(Array(try Fixtures.resource("Rulesets", name).utf8), file: name)
        var random = SplitMix64(seed: 42)
        Self.expectAgreement(read.ruleset, Self.packets(&random, count: 300), name)
    }
}

extension SplitMix64 {
    /// True in about `percent` of calls.
    fileprivate mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
