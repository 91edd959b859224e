import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The open ports seen in the observations, each matched against the declared services and
/// exceptions of the policy: the "found vs declared" numbers of the summary and the "last seen
/// listening" column of the 1.2.5 table. A report-side approximation for people; the evaluator's
/// findings remain the verdict.
struct PortCoverage: Sendable {
    /// One distinct open port: host, transport, port, and the latest observation of it.
    struct OpenPort: Hashable, Sendable {
        var host: IPAddress
        var transport: Transport
        var port: UInt16
    }

    /// Every distinct port observed `open`, with its latest observation.
    private(set) var open: [OpenPort: Observation] = [:]
    /// Open ports a declared service covers.
    private(set) var declared: Set<OpenPort> = []
    /// Open ports only an exception covers that holds at the report time (an expired exception
    /// covers nothing).
    private(set) var excepted: Set<OpenPort> = []
    /// Per service id, the latest time one of its ports was observed open.
    private(set) var lastSeenListening: [String: Date] = [:]
    /// Per exception id, the latest open observation its ports and hosts cover, whatever its status.
    private(set) var lastSeenUnderException: [String: Date] = [:]

    init(policy: Policy, observations: [Observation], at date: Date) {
        for observation in observations where observation.state == .open {
            let key = OpenPort(host: observation.host, transport: observation.transport, port: observation.port)
            if let seen = open[key], seen.time >= observation.time { continue }
            open[key] = observation
        }
        for (key, observation) in open {
            let services = policy.services.filter {
                $0.covers(key.transport, key.port)
                    && PortCoverage.covers(hosts: $0.hosts, zone: $0.zone, host: key.host, policy: policy)
            }
            for service in services where (lastSeenListening[service.id] ?? .distantPast) < observation.time {
                lastSeenListening[service.id] = observation.time
            }
            for exception in policy.exceptions
            where exception.covers(key.transport, key.port)
                && PortCoverage.covers(hosts: exception.hosts, zone: exception.zone, host: key.host, policy: policy)
                && (lastSeenUnderException[exception.id] ?? .distantPast) < observation.time
            {
                lastSeenUnderException[exception.id] = observation.time
            }
            if !services.isEmpty {
                declared.insert(key)
            } else if policy.exceptions.contains(where: {
                ExceptionStatus(expires: $0.expires, at: date) != .expired && $0.covers(key.transport, key.port)
                    && PortCoverage.covers(hosts: $0.hosts, zone: $0.zone, host: key.host, policy: policy)
            }) {
                excepted.insert(key)
            }
        }
    }

    /// Open ports neither a service nor an exception covers.
    var undeclaredCount: Int { open.count - declared.count - excepted.count }

    /// The latest observations of open ports, ordered by host, transport and port.
    var openObservations: [Observation] {
        open.values.sorted {
            ($0.host, $0.transport.rawValue, $0.port) < ($1.host, $1.transport.rawValue, $1.port)
        }
    }

    /// Whether `host` is one of `hosts` or, when `hosts` is empty, inside the zone's prefixes.
    static func covers(hosts: [Prefix], zone: String, host: IPAddress, policy: Policy) -> Bool {
        if !hosts.isEmpty { return hosts.contains { $0.contains(host) } }
        return policy.zone(zone)?.prefixes.contains { $0.contains(host) } ?? false
    }
}
