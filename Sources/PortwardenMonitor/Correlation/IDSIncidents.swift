import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The IDS incidents of the correlator (`PW-IDS-INCIDENT`): one per source, CDE host, transport and port
/// while its events keep coming within the window of each other. An IDS alert and a flow from the same
/// source to the CDE within the window open one; every later alert for the source and flow to that port
/// within the window of the incident's last event joins it (its counts and last-seen move); after a
/// window without either, the next pair opens a new one. Bounded: at most `maxIncidents` are kept, closed
/// ones are dropped first.
struct IDSIncidents: Sendable {
    /// What an incident is about.
    struct Key: Hashable, Sendable {
        var source: IPAddress
        var host: IPAddress
        var transport: Transport
        var port: UInt16

        /// The key of a flow's incident; `nil` for a flow without a transport port.
        init?(_ flow: FlowEvent) {
            guard let transport = flow.transport, let port = flow.destinationPort else { return nil }
            self.init(source: flow.sourceAddress, host: flow.destinationAddress, transport: transport, port: port)
        }

        init(source: IPAddress, host: IPAddress, transport: Transport, port: UInt16) {
            self.source = source
            self.host = host
            self.transport = transport
            self.port = port
        }

        func matches(_ flow: FlowEvent) -> Bool {
            flow.sourceAddress == source && flow.destinationAddress == host && flow.destinationPort == port
                && flow.transport == transport
        }
    }

    /// One incident: when its first and last events were, how many of each kind it took, and the latest
    /// of each (the finding's evidence).
    struct Incident: Sendable {
        var firstSeen: Date
        var lastSeen: Date
        var alerts: Int
        var flows: Int
        var alert: SecurityEvent
        var flow: FlowEvent
    }

    let window: TimeInterval
    let maxIncidents: Int
    private var incidents: [Key: Incident] = [:]

    init(window: TimeInterval, maxIncidents: Int) {
        self.window = window
        self.maxIncidents = maxIncidents
    }

    var count: Int { incidents.count }

    /// When `key`'s incident last took an event, if it is still open at `time`: events of either kind up
    /// to then have been counted in it.
    func lastSeen(_ key: Key, at time: Date) -> Date? {
        guard let incident = incidents[key], time.timeIntervalSince(incident.lastSeen) <= window else { return nil }
        return incident.lastSeen
    }

    /// Adds `alerts` IDS alerts and `flows` flows (the oldest of them at `oldest`, the latest `alert` and
    /// `flow`) to `key`'s incident at `time`, opening a new one when none is open.
    /// - Returns: the incident after it, and whether it was opened now.
    mutating func join(
        _ key: Key, alert: SecurityEvent, flow: FlowEvent, alerts: Int, flows: Int, oldest: Date, at time: Date
    ) -> (incident: Incident, opened: Bool) {
        if var incident = incidents[key], time.timeIntervalSince(incident.lastSeen) <= window {
            incident.alerts += alerts
            incident.flows += flows
            incident.lastSeen = max(incident.lastSeen, time)
            incident.firstSeen = min(incident.firstSeen, oldest)
            incident.alert = alert
            incident.flow = flow
            incidents[key] = incident
            return (incident, false)
        }
        let incident = Incident(
            firstSeen: min(oldest, time), lastSeen: time, alerts: alerts, flows: flows, alert: alert, flow: flow)
        incidents[key] = incident
        if incidents.count > maxIncidents { evict(now: time) }
        return (incident, true)
    }

    /// Drops closed incidents, then the least recently touched, down to 90 % of the cap.
    private mutating func evict(now: Date) {
        for (key, incident) in incidents where now.timeIntervalSince(incident.lastSeen) > window {
            incidents[key] = nil
        }
        guard incidents.count > maxIncidents else { return }
        let excess = incidents.count - maxIncidents * 9 / 10
        for (key, _) in incidents.sorted(by: { $0.value.lastSeen < $1.value.lastSeen }).prefix(excess) {
            incidents[key] = nil
        }
    }
}
