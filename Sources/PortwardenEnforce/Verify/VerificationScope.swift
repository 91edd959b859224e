import PortwardenCore

/// One question the verifier asks of a ruleset: on this hook, for this address family, which new
/// connections may pass, and which does the policy declare?
struct VerificationScope {
    /// `forward`, `input` or `output`.
    let hook: String
    let family: AddressFamily
    /// The packets that reach the hook at all (a host's input only sees packets to the host).
    let universe: PacketBox
    /// The declared flows as boxes, with the flow each came from.
    let declared: [(box: PacketBox, flow: DeclaredFlow)]
    /// What the scope is about, for messages: "into the zones", "into 10.90.3.10", "out of 10.90.3.10".
    let label: String

    /// The scopes of a target: router forward per family; host input, and output for a CDE host.
    static func scopes(for target: EnforcementTarget, plan: FlowPlan) -> [VerificationScope] {
        switch target {
        case .router:
            let families = AddressFamily.allCases.filter { family in
                plan.zones.contains { !IntervalSet(prefixes: $0.prefixes, family: family).isEmpty }
            }
            return families.map { family in
                var declared: [(PacketBox, DeclaredFlow)] = []
                for flow in plan.flows {
                    let sources = flow.sources.reduce(IntervalSet.empty) {
                        $0.union(plan.addresses(of: $1, family: family))
                    }
                    let box = PacketBox(
                        family: family, sources: sources, destinations: plan.destinations(of: flow, family: family),
                        services: services(flow))
                    if !box.isEmpty { declared.append((box, flow)) }
                }
                return VerificationScope(
                    hook: "forward", family: family, universe: .all(family), declared: declared,
                    label: "forwarded between the zones")
            }
        case .host(let address):
            let family = AddressFamily(address)
            let me = IntervalSet(address.value...address.value)
            var inbound: [(PacketBox, DeclaredFlow)] = []
            var outbound: [(PacketBox, DeclaredFlow)] = []
            for flow in plan.flows {
                if plan.isDestination(address, of: flow) {
                    let sources = flow.sources.reduce(IntervalSet.empty) {
                        $0.union(plan.addresses(of: $1, family: family))
                    }
                    inbound.append(
                        (PacketBox(family: family, sources: sources, destinations: me, services: services(flow)), flow))
                } else if plan.isSource(address, of: flow) {
                    let box = PacketBox(
                        family: family, sources: me, destinations: plan.destinations(of: flow, family: family),
                        services: services(flow))
                    if !box.isEmpty { outbound.append((box, flow)) }
                }
            }
            var universe = PacketBox.all(family)
            universe.destinations = me
            var scopes = [
                VerificationScope(
                    hook: "input", family: family, universe: universe, declared: inbound.filter { !$0.0.isEmpty },
                    label: "into \(address)")
            ]
            if plan.zone(containing: address)?.isCDE == true {
                var outUniverse = PacketBox.all(family)
                outUniverse.sources = me
                scopes.append(
                    VerificationScope(
                        hook: "output", family: family, universe: outUniverse, declared: outbound,
                        label: "out of \(address)"))
            }
            return scopes
        }
    }

    static func services(_ flow: DeclaredFlow) -> IntervalSet {
        flow.transports.reduce(IntervalSet.empty) { $0.union(PacketBox.Service.ports($1, flow.portSet($1))) }
    }
}
