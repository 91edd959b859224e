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
    /// Whether each zone (by index) is a CDE zone.
    let isCDE: [Bool]
    private let zoneTable: PrefixTable<Int>
    private let services: [Service]
    private let exceptions: [PolicyException]
    /// The services and exceptions of each zone (by index), in policy order, reduced to what judging reads.
    private let serviceRules: [[AccessRule]]
    private let exceptionRules: [[AccessRule]]

    init(_ policy: Policy) {
        zones = policy.zones
        isCDE = policy.zones.map(\.isCDE)
        var entries: [(Prefix, Int)] = []
        var zoneIndex: [String: Int] = [:]
        for (index, zone) in policy.zones.enumerated() {
            for prefix in zone.prefixes { entries.append((prefix, index)) }
            if zoneIndex[zone.id] == nil { zoneIndex[zone.id] = index }
        }
        zoneTable = PrefixTable(entries)
        services = policy.services
        exceptions = policy.exceptions
        serviceRules = Self.rules(
            services.map { ($0.zone, $0.hosts, $0.ports, $0.allowFrom) }, zones: zones.count, zoneIndex: zoneIndex)
        exceptionRules = Self.rules(
            exceptions.map { ($0.zone, $0.hosts, $0.ports, $0.allowFrom) }, zones: zones.count, zoneIndex: zoneIndex)
    }

    /// The rows (services or exceptions, in policy order) grouped by the index of their zone; a row
    /// whose zone the policy does not declare covers nothing.
    private static func rules(
        _ rows: [(zone: String, hosts: [Prefix], ports: [PortSpec], allowFrom: [AccessSource])], zones: Int,
        zoneIndex: [String: Int]
    ) -> [[AccessRule]] {
        var rules = [[AccessRule]](repeating: [], count: zones)
        for (index, row) in rows.enumerated() {
            guard let zone = zoneIndex[row.zone] else { continue }
            rules[zone].append(
                AccessRule(
                    index: index, zone: zone, hosts: row.hosts, ports: row.ports, allowFrom: row.allowFrom,
                    zoneIndex: zoneIndex))
        }
        return rules
    }

    /// The index in `zones` of the zone holding `address`: no copy of the zone.
    func zoneIndex(of address: IPAddress) -> Int? { zoneTable[address] }

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

    /// What the policy says about a flow that reached `address` on `transport`/`port` from `source`; zones are
    /// indices into `zones`.
    func judge(
        source: IPAddress, sourceZone: Int?, destination: IPAddress, destinationZone: Int, transport: Transport,
        port: UInt16, at time: Date
    ) -> FlowJudgement {
        var firstCovering: Int?
        for rule in serviceRules[destinationZone] where rule.covers(destination, transport, port) {
            if rule.permits(source, sourceZone) { return .service(services[rule.index].id) }
            if firstCovering == nil { firstCovering = rule.index }
        }
        var firstExpired: Int?
        let rules = exceptionRules[destinationZone]
        if !rules.isEmpty {
            let day = CalendarDay(containing: time)
            for rule in rules where rule.covers(destination, transport, port) && rule.permits(source, sourceZone) {
                let exception = exceptions[rule.index]
                if exception.expires.map({ day <= $0 }) ?? true { return .exception(exception.id) }
                if firstExpired == nil { firstExpired = rule.index }
            }
        }
        if let expired = firstExpired { return .expiredException(exceptions[expired].id, exceptions[expired].expires) }
        if let service = firstCovering { return .sourceNotPermitted(services[service]) }
        return .undeclared
    }
}

/// A service or exception reduced to what judging one flow reads, its zones as indices of the policy's zones.
private struct AccessRule: Sendable {
    let index: Int
    let zone: Int
    let hosts: [Prefix]
    let ports: [PortSpec]
    let allowsAny: Bool
    let allowedZones: [Int]
    let allowedPrefixes: [Prefix]

    init(
        index: Int, zone: Int, hosts: [Prefix], ports: [PortSpec], allowFrom: [AccessSource],
        zoneIndex: [String: Int]
    ) {
        self.index = index
        self.zone = zone
        self.hosts = hosts
        self.ports = ports
        var any = false
        var zones: [Int] = []
        var prefixes: [Prefix] = []
        for entry in allowFrom {
            switch entry {
            case .any: any = true
            // A zone the policy does not declare holds no source.
            case .zone(let id): if let index = zoneIndex[id] { zones.append(index) }
            case .prefix(let block): prefixes.append(block)
            }
        }
        allowsAny = any
        allowedZones = zones
        allowedPrefixes = prefixes
    }

    func covers(_ destination: IPAddress, _ transport: Transport, _ port: UInt16) -> Bool {
        ports.contains { $0.matches(transport, port) } && hosts.contains { $0.contains(destination) }
    }

    /// Whether `source` (in zone `sourceZone`) may connect: the own zone always; `any`; a named zone; a prefix
    /// that contains the source address.
    func permits(_ source: IPAddress, _ sourceZone: Int?) -> Bool {
        if let sourceZone, sourceZone == zone || allowedZones.contains(sourceZone) { return true }
        return allowsAny || allowedPrefixes.contains { $0.contains(source) }
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
