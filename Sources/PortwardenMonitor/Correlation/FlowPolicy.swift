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

    /// The policy row a judgement names, with the owner and the declared process where the policy gives
    /// them: `declared service pg, owner dba, declared process postgres`.
    func describe(_ judgement: FlowJudgement) -> String {
        func details(_ owner: String?, _ process: String?) -> String {
            (owner.map { ", owner \($0)" } ?? "") + (process.map { ", declared process \($0)" } ?? "")
        }
        switch judgement {
        case .service(let id):
            let service = services.first { $0.id == id }
            return "declared service \(id)" + details(service?.owner, service?.process)
        case .exception(let id):
            return "exception \(id)" + details(exceptions.first { $0.id == id }?.owner, nil)
        case .expiredException(let id, _):
            return "covered only by expired exception \(id)" + details(exceptions.first { $0.id == id }?.owner, nil)
        case .sourceNotPermitted(let service):
            return "declared service \(service.id), whose allow-from does not permit this source"
                + details(service.owner, service.process)
        case .undeclared:
            return "no declared service or exception"
        }
    }

    /// What the policy says about a flow that reached `address` on `transport`/`port` from `source`.
    func judge(
        source: IPAddress, sourceZone: Zone?, destination: IPAddress, destinationZone: Zone, transport: Transport,
        port: UInt16, at time: Date
    ) -> FlowJudgement {
        // Loops, not filtered arrays: this runs once per flow.
        var firstCovering: Service?
        for service in services
        where service.zone == destinationZone.id && service.covers(transport, port)
            && service.hosts.contains(where: { $0.contains(destination) })
        {
            if permits(service.allowFrom, ownZone: service.zone, source, sourceZone) { return .service(service.id) }
            if firstCovering == nil { firstCovering = service }
        }
        var firstExpired: PolicyException?
        if !exceptions.isEmpty {
            let day = CalendarDay(containing: time)
            for exception in exceptions
            where exception.zone == destinationZone.id && exception.covers(transport, port)
                && exception.hosts.contains(where: { $0.contains(destination) })
                && permits(exception.allowFrom, ownZone: exception.zone, source, sourceZone)
            {
                if exception.expires.map({ day <= $0 }) ?? true { return .exception(exception.id) }
                if firstExpired == nil { firstExpired = exception }
            }
        }
        if let expired = firstExpired { return .expiredException(expired.id, expired.expires) }
        if let service = firstCovering { return .sourceNotPermitted(service) }
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
