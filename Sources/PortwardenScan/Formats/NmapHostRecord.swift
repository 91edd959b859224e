import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one `<host>` element of an nmap XML document said, gathered until its end tag, then
/// turned into observations (with `extraports` expanded back to port numbers).
struct NmapHostRecord {
    struct PortEntry {
        var transport: Transport?
        var port: UInt16?
        var state: PortState?
        var reason: String?
        var service: String?
        var hasStateElement = false
        var hasServiceElement = false
        /// masscan's banner record: service information for a port, not a state.
        var isBanner = false
        let location: XMLLocation
    }

    struct ExtraReason {
        var reason: String?
        var count: Int
        var transport: Transport?
        var ports: Set<UInt16>?
        let location: XMLLocation
    }

    struct ExtraGroup {
        var state: PortState
        var count: Int
        var reasons: [ExtraReason] = []
        /// A reason names a protocol Portwarden does not track (`sctp`) or an invalid one (reported):
        /// the group is skipped.
        var isUntracked = false
        let location: XMLLocation
    }

    let location: XMLLocation
    var startTime: Date?
    var endTime: Date?
    var address: IPAddress?
    var isDown = false
    var ports: [PortEntry] = []
    var groups: [ExtraGroup] = []
    /// The ports named by all `extrareasons/@ports` lists so far, bounded by ``maxListedPorts``.
    var listedPortCount = 0

    /// Every port of both transports, twice over: more is not a real scan.
    static let maxListedPorts = 4 * 65536

    init(location: XMLLocation) { self.location = location }

    /// Records this host's ports in `collector`.
    /// - Parameters:
    ///   - scanned: the ports each `scaninfo` names, to expand `extraports` that carry no `ports` list.
    ///   - time: the time to give observations that have no host time of their own.
    func emit(into collector: inout ObservationCollector, scanned: [Transport: Set<UInt16>], time: Date) {
        guard let address else {
            collector.problem(
                .missingField, line: location.line, column: location.column,
                message: "<host> has no IPv4 or IPv6 <address>; its ports are skipped")
            return
        }
        if !isDown { collector.noteHost(address) }
        let when = endTime ?? startTime ?? time
        for entry in ports {
            guard let transport = entry.transport, let port = entry.port else { continue }
            collector.record(
                host: address, transport: transport, port: port, state: entry.isBanner ? nil : entry.state,
                reason: entry.isBanner ? nil : entry.reason,
                service: entry.service, time: when, line: entry.location.line)
        }
        for expanded in expandedExtraPorts(scanned: scanned, collector: &collector) {
            collector.record(
                host: address, transport: expanded.transport, port: expanded.port, state: expanded.state,
                reason: expanded.reason, service: nil, time: when, line: location.line)
        }
    }

    struct ExpandedPort {
        let transport: Transport
        let port: UInt16
        let state: PortState
        let reason: String?
    }

    /// Expands `extraports`: from each `extrareasons/@ports` list when present, otherwise from the
    /// `scaninfo` port set minus every port accounted for elsewhere (``NmapCollapsedPorts``).
    /// Collapsed ports that cannot be attributed are reported, never silently dropped.
    func expandedExtraPorts(
        scanned: [Transport: Set<UInt16>], collector: inout ObservationCollector
    )
        -> [ExpandedPort]
    {
        var result: [ExpandedPort] = []
        var unlisted: [NmapCollapsedPorts.Item] = []
        var accounted: [Transport: Set<UInt16>] = [:]
        for entry in ports {
            if let transport = entry.transport, let port = entry.port { accounted[transport, default: []].insert(port) }
        }
        for group in groups where !group.isUntracked {
            let reasons =
                group.reasons.isEmpty
                ? [ExtraReason(reason: nil, count: group.count, location: group.location)] : group.reasons
            for reason in reasons {
                guard let list = reason.ports else {
                    unlisted.append(NmapCollapsedPorts.Item(state: group.state, reason: reason))
                    continue
                }
                guard let transport = reason.transport ?? (scanned.count == 1 ? scanned.keys.first : nil) else {
                    report(reason, "collapsed \(group.state.rawValue) ports name no protocol", &collector)
                    continue
                }
                if list.count != reason.count {
                    report(reason, "count=\"\(reason.count)\" but ports lists \(list.count) ports", &collector)
                }
                accounted[transport, default: []].formUnion(list)
                let name = NmapReason.singular(reason.reason)
                for port in list.sorted() {
                    result.append(ExpandedPort(transport: transport, port: port, state: group.state, reason: name))
                }
            }
        }
        let (resolved, failures) = NmapCollapsedPorts.resolve(unlisted, scanned: scanned, accounted: accounted)
        for failure in failures { report(failure.item.reason, failure.message, &collector) }
        for part in resolved {
            if !part.mixedStates.isEmpty {
                let states = part.mixedStates.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
                collector.problem(
                    .imprecise, line: location.line, column: location.column,
                    message: "\(part.ports.count) collapsed \(part.transport.rawValue) ports are \(states) without "
                        + "saying which port is which; they are imported as \(part.state.rawValue)",
                    level: .warning)
            }
            result += part.ports.map {
                ExpandedPort(transport: part.transport, port: $0, state: part.state, reason: part.reason)
            }
        }
        return result
    }

    private func report(_ reason: ExtraReason, _ message: String, _ collector: inout ObservationCollector) {
        collector.problem(
            .unresolvedPorts, line: reason.location.line, column: reason.location.column, message: message)
    }
}
