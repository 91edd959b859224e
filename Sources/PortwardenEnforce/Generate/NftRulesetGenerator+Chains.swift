import PortwardenCore

extension NftRulesetGenerator {
    /// Router: one forward chain that dispatches by destination zone into one chain per zone.
    func routerChains(marker: String) -> [NftChain] {
        var forward = NftChain(
            name: "forward", binding: NftHookBinding(type: "filter", hook: "forward", priority: 0, policy: "drop"),
            rules: statefulRules(marker: marker))
        var chains: [NftChain] = []
        for zone in plan.zones {
            let chainName = names.intoChain(zone.id)
            for family in AddressFamily.allCases where !IntervalSet(prefixes: zone.prefixes, family: family).isEmpty {
                forward.rules.append(
                    NftRule(
                        matches: [
                            NftMatch(.address(family, source: false), .setReference(names.zoneSet(zone.id, family)))
                        ], verdict: .jump(chainName)))
            }
            var chain = NftChain(name: chainName)
            for flow in plan.flows where flow.zone == zone.id {
                chain.rules += routerRules(flow)
            }
            // A zone sharing addresses with another returns instead of dropping, so the other
            // zone's chain still sees the packet; the final rule of `forward` drops it.
            if !overlapsAnotherZone(zone) {
                chain.rules.append(NftRule(counter: true, logPrefix: NftLogPrefix.drop(zone: zone.id), verdict: .drop))
            }
            chains.append(chain)
        }
        forward.rules.append(NftRule(counter: true, logPrefix: NftLogPrefix.dropUnzoned, verdict: .drop))
        return [forward] + chains
    }

    func overlapsAnotherZone(_ zone: Zone) -> Bool {
        plan.zones.contains { other in
            other.id != zone.id && other.prefixes.contains { a in zone.prefixes.contains { $0.overlaps(a) } }
        }
    }

    /// The rules of one flow in a zone chain: per family, source and transport.
    func routerRules(_ flow: DeclaredFlow) -> [NftRule] {
        var rules: [NftRule] = []
        for family in AddressFamily.allCases {
            var destination: NftMatch?
            if let hosts = flow.hosts {
                let set = IntervalSet(prefixes: hosts, family: family)
                if set.isEmpty { continue }
                destination = NftMatch(.address(family, source: false), .intervals(set))
            }
            for source in flow.sources {
                var matches: [NftMatch] = []
                switch addressMatch(source, family, isSource: true) {
                case .impossible: continue
                case .unconstrained:
                    // No source match and no host list: one family-free rule, kept once.
                    if destination == nil, family == .ipv6 { continue }
                case .match(let match): matches.append(match)
                }
                if let destination { matches.append(destination) }
                for transport in flow.transports { rules.append(flowRule(flow, transport, matches: matches)) }
            }
        }
        return rules
    }

    /// Host input: stateful replies, loopback, IPv6 neighbour discovery, then the flows to this host.
    func inputChain(host: IPAddress, zone: Zone, marker: String) -> NftChain {
        let family = AddressFamily(host)
        var chain = NftChain(
            name: "input", binding: NftHookBinding(type: "filter", hook: "input", priority: 0, policy: "drop"),
            rules: statefulRules(marker: marker) + localRules(direction: "iif"))
        for flow in plan.flows where plan.isDestination(host, of: flow) {
            for source in flow.sources {
                var matches: [NftMatch] = []
                switch addressMatch(source, family, isSource: true) {
                case .impossible: continue
                case .unconstrained: matches.append(NftMatch(.nfproto, .names([family.rawValue])))
                case .match(let match): matches.append(match)
                }
                for transport in flow.transports { chain.rules.append(flowRule(flow, transport, matches: matches)) }
            }
        }
        chain.rules.append(NftRule(counter: true, logPrefix: NftLogPrefix.drop(zone: zone.id), verdict: .drop))
        return chain
    }

    /// Host output of a CDE host: only the declared egress (flows whose sources include the host).
    func outputChain(host: IPAddress, zone: Zone) -> NftChain {
        let family = AddressFamily(host)
        var chain = NftChain(
            name: "output", binding: NftHookBinding(type: "filter", hook: "output", priority: 0, policy: "drop"),
            rules: statefulRules(marker: nil) + localRules(direction: "oif"))
        for flow in plan.flows where plan.isSource(host, of: flow) && !plan.isDestination(host, of: flow) {
            var matches: [NftMatch] = []
            if let hosts = flow.hosts {
                let set = IntervalSet(prefixes: hosts, family: family)
                if set.isEmpty { continue }
                matches.append(NftMatch(.address(family, source: false), .intervals(set)))
            } else {
                switch addressMatch(.zone(flow.zone), family, isSource: false) {
                case .impossible, .unconstrained: continue
                case .match(let match): matches.append(match)
                }
            }
            for transport in flow.transports {
                chain.rules.append(flowRule(flow, transport, matches: matches, egress: true))
            }
        }
        chain.rules.append(NftRule(counter: true, logPrefix: NftLogPrefix.dropEgress(zone: zone.id), verdict: .drop))
        return chain
    }

    /// Loopback traffic and IPv6 neighbour discovery, without which a host cannot work.
    func localRules(direction: String) -> [NftRule] {
        [
            NftRule(matches: [NftMatch(.interface(direction), .names(["lo"]))], counter: true, verdict: .accept),
            NftRule(
                matches: [
                    NftMatch(
                        .other("icmpv6 type"),
                        .names(["nd-neighbor-advert", "nd-neighbor-solicit", "nd-router-advert", "nd-router-solicit"]))
                ], counter: true, verdict: .accept),
        ]
    }
}
