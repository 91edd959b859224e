import PortwardenCore

/// What a run actually probed, per host and transport, and its scope: the lines a report prints
/// instead of "N targets × M ports". Built from the scan's records (`ScanRecord.hosts`) when the
/// run has them, otherwise from the observations themselves (every observation is one probed port).
public struct RunCoverage: Sendable {
    /// Per host, what it got.
    public var hosts: [HostCoverage]
    /// The local addresses probes left from.
    public var sourceAddresses: [IPAddress]
    /// The vantage labels of the network observations.
    public var vantages: [String]

    /// - Parameters:
    ///   - observations: the run's observations.
    ///   - records: the scans' own records, when the run has them (they win for the hosts they list).
    public init(observations: [Observation], records: [ScanRecord] = []) {
        var byHost: [IPAddress: HostCoverage] = [:]
        var order: [IPAddress] = []
        for record in records {
            for host in record.hosts where byHost[host.host] == nil {
                byHost[host.host] = host
                order.append(host.host)
            }
        }
        let recorded = Set(order)
        var sources: [IPAddress] = records.flatMap(\.sourceAddresses)
        var vantages: [String] = records.compactMap(\.vantage)
        let sorted = observations.filter { !recorded.contains($0.host) && $0.source != .host }.sorted {
            ($0.host, $0.transport.rawValue, $0.port) < ($1.host, $1.transport.rawValue, $1.port)
        }
        for observation in sorted {
            if byHost[observation.host] == nil {
                byHost[observation.host] = HostCoverage(
                    host: observation.host, status: .scanned, reason: "from the observations",
                    sourceAddress: observation.sourceAddress)
                order.append(observation.host)
            }
            byHost[observation.host]?.record(observation)
        }
        for observation in observations where observation.source != .host {
            if let source = observation.sourceAddress, !sources.contains(source) { sources.append(source) }
            if let vantage = observation.vantage, !vantages.contains(vantage) { vantages.append(vantage) }
        }
        hosts = order.sorted().compactMap { byHost[$0] }
        sourceAddresses = sources
        self.vantages = vantages
    }

    /// `3 hosts: tcp 65535 ports probed (2 open, 65533 closed); udp 12 ports probed (…)`, one line per
    /// group of hosts that got the same, most hosts first.
    public var lines: [String] {
        var groups: [String: Int] = [:]
        var first: [String: Int] = [:]
        for (index, host) in hosts.enumerated() {
            let key = RunCoverage.describe(host)
            groups[key, default: 0] += 1
            if first[key] == nil { first[key] = index }
        }
        return groups.sorted { ($1.value, first[$0.key] ?? 0) < ($0.value, first[$1.key] ?? 0) }.map { key, count in
            "\(TextLayout.plural(count, "host")): \(key)"
        }
    }

    /// What one host got, per transport.
    static func describe(_ host: HostCoverage) -> String {
        var parts: [String] = []
        for transport in [Transport.tcp, .udp] {
            let probed = host.probedPorts(transport)
            guard probed > 0 else { continue }
            let states = PortState.allCases.compactMap { state -> String? in
                let count = host.count(transport, state)
                return count == 0 ? nil : "\(count) \(state.rawValue)"
            }
            parts.append(
                "\(transport.rawValue) \(TextLayout.plural(probed, "port")) probed (\(states.joined(separator: ", ")))")
        }
        if parts.isEmpty { return "\(host.status.rawValue), no port probed (\(host.reason))" }
        return parts.joined(separator: "; ")
    }

    /// One line per host: `10.20.1.12  tcp 1000 ports probed (1 open, 999 closed)`.
    public var hostLines: [String] {
        hosts.map { "\($0.host)  \(RunCoverage.describe($0))" }
    }
}
