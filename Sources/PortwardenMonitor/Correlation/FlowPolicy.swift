import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The policy, indexed for judging one flow at a time: which zone an address is in, and which
/// declared service or exception covers a (host, transport, port).
struct FlowPolicy: Sendable {
    let zones: [Zone]
    private let zoneTable: PrefixTable<Int>
    private let services: [Service]
    private let exceptions: [PolicyException]

    init(_ policy: Policy) {
        zones = policy.zones
        var entries: [(Prefix, Int)] = []
        for (index, zone) in policy.zones.enumerated() {
            for prefix in zone.prefixes { entries.append((prefix, index)) }
        }
        zoneTable = PrefixTable(entries)
        services = policy.services
        exceptions = policy.exceptions
    }

    func zone(of address: IPAddress) -> Zone? { zoneTable[address].map { zones[$0] } }

    /// What the policy says about a flow that reached `address` on `transport`/`port` from `source`.
    func judge(
        source: IPAddress, sourceZone: Zone?, destination: IPAddress, destinationZone: Zone, transport: Transport,
        port: UInt16, at time: Date
    ) -> FlowJudgement {
        let covering = services.filter { service in
            service.covers(transport, port) && service.hosts.contains { $0.contains(destination) }
                && service.zone == destinationZone.id
        }
        if let service = covering.first(where: { permits($0.allowFrom, ownZone: $0.zone, source, sourceZone) }) {
            return .service(service.id)
        }
        let day = CalendarDay(containing: time)
        let exceptionsHere = exceptions.filter { exception in
            exception.covers(transport, port) && exception.hosts.contains { $0.contains(destination) }
                && exception.zone == destinationZone.id
                && permits(exception.allowFrom, ownZone: exception.zone, source, sourceZone)
        }
        if let valid = exceptionsHere.first(where: { $0.expires.map { day <= $0 } ?? true }) {
            return .exception(valid.id)
        }
        if let expired = exceptionsHere.first { return .expiredException(expired.id, expired.expires) }
        if let service = covering.first { return .sourceNotPermitted(service) }
        return .undeclared
    }

    /// Whether `source` (in `sourceZone`) may connect to an object of `ownZone` with this allow-from:
    /// the own zone always; `any`; a named zone; a prefix that contains the source address.
    private func permits(
        _ allowFrom: [AccessSource], ownZone: String, _ source: IPAddress, _ sourceZone: Zone?
    )
        -> Bool
    {
        if sourceZone?.id == ownZone { return true }
        for entry in allowFrom {
            switch entry {
            case .any: return true
            case .zone(let id): if sourceZone?.id == id { return true }
            case .prefix(let block): if block.contains(source) { return true }
            }
        }
        return false
    }
}

/// The policy's answer for one flow.
enum FlowJudgement: Hashable, Sendable {
    case service(String)
    case exception(String)
    case expiredException(String, CalendarDay?)
    case sourceNotPermitted(Service)
    case undeclared
}
