import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension NmapXMLWriter {
    /// One up host from what a streaming scan kept: `listed` observations in full (open ports,
    /// with their service) and every probed port as runs of equal state (`ranges`). Non-open states
    /// with at least `run.collapseThreshold` ports become `extraports` straight from the runs, so a
    /// host's 65,535 filtered ports cost a few runs, never 65,535 observations.
    /// - Parameters:
    ///   - host: the host.
    ///   - listed: its observations to list as `port` elements (typically the open ones).
    ///   - ranges: every probed port of the host, listed ones included.
    ///   - start: when its first probe finished.
    ///   - end: when its last probe finished.
    ///   - run: how the scan was run.
    /// - Returns: the `host` element.
    public static func host(
        _ host: IPAddress, listed: [Observation], ranges: [PortStateRange], start: Date, end: Date, run: ScanRunInfo
    ) -> String {
        let listedKeys = Set(listed.map { PortSpec($0.transport, port: $0.port) })
        var counts: [PortState: Int] = [:]
        for range in ranges where range.state != .open { counts[range.state, default: 0] += range.ports.count }
        let collapsed = counts.filter { $0.value >= max(1, run.collapseThreshold) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
        var out = "<ports>"
        for (state, count) in collapsed {
            out += extraPorts(state, count, ranges.filter { $0.state == state })
        }
        let collapsedStates = Set(collapsed.map(\.key))
        var entries = listed.filter { !collapsedStates.contains($0.state) }
        for range in ranges where range.state != .open && !collapsedStates.contains(range.state) {
            for port in range.ports.lower...range.ports.upper
            where !listedKeys.contains(PortSpec(range.transport, port: port)) {
                entries.append(
                    Observation(
                        time: end, host: host, transport: range.transport, port: port, state: range.state,
                        reason: range.reason))
            }
        }
        entries.sort { ($0.transport, $0.port) < ($1.transport, $1.port) }
        for entry in entries { out += port(entry, run: run) }
        out += "</ports>\n"
        return hostElement(host, start: start, end: end, ports: out, run: run)
    }

    private static func extraPorts(_ state: PortState, _ count: Int, _ ranges: [PortStateRange]) -> String {
        struct ReasonKey: Hashable {
            let transport: Transport
            let reason: String
        }
        var groups: [ReasonKey: [PortRange]] = [:]
        for range in ranges {
            groups[ReasonKey(transport: range.transport, reason: range.reason ?? "unknown"), default: []].append(
                range.ports)
        }
        struct Group {
            let key: ReasonKey
            let ranges: [PortRange]
            let count: Int
        }
        var ordered: [Group] = []
        for (key, list) in groups {
            let count = list.reduce(0) { $0 + $1.count }
            ordered.append(Group(key: key, ranges: list.sorted(), count: count))
        }
        ordered.sort { (a: Group, b: Group) -> Bool in
            if a.key.transport != b.key.transport { return a.key.transport < b.key.transport }
            if a.count != b.count { return a.count > b.count }
            return a.key.reason < b.key.reason
        }
        var out = "<extraports state=\"\(state.rawValue)\" count=\"\(count)\">\n"
        for group in ordered {
            out += "<extrareasons reason=\"\(XMLEscaping.attribute(group.key.reason))\" count=\"\(group.count)\""
            out += " proto=\"\(group.key.transport.rawValue)\" ports=\"\(PortRange.list(group.ranges))\"/>\n"
        }
        return out + "</extraports>\n"
    }
}
