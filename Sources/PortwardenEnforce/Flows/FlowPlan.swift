import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The policy's allowed edges at one moment: every service, and every exception that has not
/// expired by then, resolved to address sets. The generator, the verifier and the segmentation
/// test all read the policy through this one plan.
public struct FlowPlan: Sendable {
    public let policy: Policy
    /// The moment the plan holds for (exception expiry).
    public let moment: Date
    /// The flows, services first (by id), then exceptions (by id).
    public let flows: [DeclaredFlow]
    /// Exceptions left out because they expired before `moment`, by id.
    public let expired: [PolicyException]
    private let zonesByID: [String: Zone]

    /// Builds the plan.
    /// - Parameters:
    ///   - policy: a loaded, valid policy.
    ///   - moment: exceptions whose last day ended before this moment are left out.
    public init(policy: Policy, at moment: Date) {
        self.policy = policy
        self.moment = moment
        var zones: [String: Zone] = [:]
        for zone in policy.zones where zones[zone.id] == nil { zones[zone.id] = zone }
        zonesByID = zones
        var flows: [DeclaredFlow] = []
        for service in policy.services.sorted(by: { $0.id < $1.id }) {
            flows.append(
                DeclaredFlow(
                    origin: .service(service.id), zone: service.zone,
                    hosts: service.hosts.isEmpty ? nil : service.hosts,
                    sources: Self.sources(service.allowFrom, ownZone: service.zone), ports: service.ports.sorted()))
        }
        var expired: [PolicyException] = []
        for exception in policy.exceptions.sorted(by: { $0.id < $1.id }) {
            if let expires = exception.expires, moment >= expires.end {
                expired.append(exception)
                continue
            }
            flows.append(
                DeclaredFlow(
                    origin: .exception(exception.id, expires: exception.expires), zone: exception.zone,
                    hosts: exception.hosts.isEmpty ? nil : exception.hosts,
                    sources: Self.sources(exception.allowFrom, ownZone: exception.zone),
                    ports: exception.ports.sorted()))
        }
        self.flows = flows
        self.expired = expired
    }

    /// An empty `allow-from` means the object's own zone (docs/policy.md).
    private static func sources(_ allowFrom: [AccessSource], ownZone: String) -> [FlowSource] {
        if allowFrom.isEmpty { return [.zone(ownZone)] }
        var seen: Set<FlowSource> = []
        var out: [FlowSource] = []
        for entry in allowFrom {
            let source: FlowSource
            switch entry {
            case .zone(let id): source = .zone(id)
            case .prefix(let prefix): source = .prefix(prefix)
            case .any: source = .any
            }
            if seen.insert(source).inserted { out.append(source) }
        }
        return out.sorted()
    }

    /// The zone with the given id.
    public func zone(_ id: String) -> Zone? { zonesByID[id] }

    /// The zones, by id.
    public var zones: [Zone] { zonesByID.values.sorted { $0.id < $1.id } }

    /// The zone holding `address` (the most specific prefix wins; ties go to the first zone by id).
    public func zone(containing address: IPAddress) -> Zone? {
        var best: (zone: Zone, length: Int)?
        for zone in zones {
            for prefix in zone.prefixes where prefix.contains(address) {
                if let current = best, current.length >= prefix.length { continue }
                best = (zone, prefix.length)
            }
        }
        return best?.zone
    }

    /// The addresses of one family a source stands for.
    public func addresses(of source: FlowSource, family: AddressFamily) -> IntervalSet {
        switch source {
        case .zone(let id): return IntervalSet(prefixes: zone(id)?.prefixes ?? [], family: family)
        case .prefix(let prefix): return IntervalSet(prefixes: [prefix], family: family)
        case .any: return family.all
        }
    }

    /// The destination addresses of one family a flow stands for.
    public func destinations(of flow: DeclaredFlow, family: AddressFamily) -> IntervalSet {
        IntervalSet(prefixes: flow.hosts ?? zone(flow.zone)?.prefixes ?? [], family: family)
    }

    /// Whether `address` is one of the flow's sources.
    public func isSource(_ address: IPAddress, of flow: DeclaredFlow) -> Bool {
        flow.sources.contains { addresses(of: $0, family: AddressFamily(address)).contains(address.value) }
    }

    /// Whether `address` is one of the flow's destinations.
    public func isDestination(_ address: IPAddress, of flow: DeclaredFlow) -> Bool {
        destinations(of: flow, family: AddressFamily(address)).contains(address.value)
    }
}
