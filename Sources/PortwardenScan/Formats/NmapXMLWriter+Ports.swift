import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension NmapXMLWriter {
    /// The `<ports>` element of one host: collapsed states first, then every other port.
    static func ports(_ observations: [Observation], run: ScanRunInfo) -> String {
        var latest: [PortSpec: Observation] = [:]
        for observation in observations {
            latest[PortSpec(observation.transport, port: observation.port)] = observation
        }
        let entries = latest.values.sorted { ($0.transport, $0.port) < ($1.transport, $1.port) }
        var counts: [PortState: Int] = [:]
        for entry in entries where entry.state != .open { counts[entry.state, default: 0] += 1 }
        let collapsed = counts.filter { $0.value >= max(1, run.collapseThreshold) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
        var out = "<ports>"
        for (state, count) in collapsed {
            out += extraPorts(state, count, entries.filter { $0.state == state })
        }
        let collapsedStates = Set(collapsed.map(\.key))
        for entry in entries where !collapsedStates.contains(entry.state) {
            out += port(entry, run: run)
        }
        return out + "</ports>\n"
    }

    private static func extraPorts(_ state: PortState, _ count: Int, _ entries: [Observation]) -> String {
        struct ReasonKey: Hashable {
            let transport: Transport
            let reason: String
        }
        var groups: [ReasonKey: [UInt16]] = [:]
        for entry in entries {
            groups[ReasonKey(transport: entry.transport, reason: entry.reason ?? "unknown"), default: []].append(
                entry.port)
        }
        let ordered = groups.sorted {
            $0.key.transport != $1.key.transport
                ? $0.key.transport < $1.key.transport
                : ($0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key.reason < $1.key.reason)
        }
        var out = "<extraports state=\"\(state.rawValue)\" count=\"\(count)\">\n"
        for (key, ports) in ordered {
            out += "<extrareasons reason=\"\(XMLEscaping.attribute(key.reason))\" count=\"\(ports.count)\""
            out += " proto=\"\(key.transport.rawValue)\" ports=\"\(NmapPortList.format(ports))\"/>\n"
        }
        return out + "</extraports>\n"
    }

    static func port(_ entry: Observation, run: ScanRunInfo) -> String {
        var out = "<port protocol=\"\(entry.transport.rawValue)\" portid=\"\(entry.port)\">"
        out += "<state state=\"\(entry.state.rawValue)\" reason=\"\(XMLEscaping.attribute(entry.reason ?? "unknown"))\""
        out += " reason_ttl=\"0\"/>"
        if let service = entry.service, !service.isEmpty {
            let probed = identifiedByProbe(entry)
            out += "<service name=\"\(XMLEscaping.attribute(service))\""
            if let tls = entry.tls, !tls.isEmpty { out += " tunnel=\"ssl\"" }
            out += probed ? " method=\"probed\" conf=\"10\"/>" : " method=\"table\" conf=\"3\"/>"
        }
        return out + "</port>\n"
    }

    /// Whether a probe named the service (nmap's `method="probed" conf="10"`) rather than the
    /// port-number table (`method="table" conf="3"`): detection left evidence of an answer (a
    /// product, TLS versions, details or a handshake that matched). A port detection could not
    /// identify keeps the table's guess, and nmap marks such a guess as a table entry.
    static func identifiedByProbe(_ entry: Observation) -> Bool {
        if entry.product != nil || !(entry.tls ?? []).isEmpty || !(entry.details ?? [:]).isEmpty { return true }
        return (entry.handshakes ?? [:]).values.contains { !$0.hasPrefix("not-matched") }
    }

    /// Epoch seconds, as nmap writes `start`, `starttime` and `time`.
    static func epoch(_ date: Date) -> Int {
        let seconds = date.timeIntervalSince1970
        return seconds.isFinite ? Int(max(0, min(seconds, 9e15)).rounded(.down)) : 0
    }

    /// Seconds with two decimals (`0.44`), as nmap writes `elapsed`.
    static func elapsedText(_ interval: Double) -> String {
        let centis = interval.isFinite ? Int((max(0, min(interval, 9e12)) * 100).rounded()) : 0
        let fraction = centis % 100
        return "\(centis / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `Sun Nov 29 03:36:00 2026` (UTC), the shape of nmap's `startstr` and `timestr`.
    static func timeText(_ date: Date) -> String {
        let seconds = epoch(date)
        let days = seconds / 86400
        let day = CalendarDay(daysSinceEpoch: days)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let secondOfDay = seconds % 86400
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let clock = "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60))"
        return "\(weekdays[days % 7]) \(months[(day.month - 1) % 12]) \(pad(day.day)) \(clock) \(day.year)"
    }
}
