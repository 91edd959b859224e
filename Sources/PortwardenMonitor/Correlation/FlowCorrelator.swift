import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Judges a stream of flow and security events against the policy, one event at a time, with
/// bounded memory (`docs/monitoring.md`):
/// - a flow to a declared service from a source its allow-from does not permit
///   (`PW-SOURCE-NOT-PERMITTED`, tagged by zone pair);
/// - traffic to an undeclared port inside a declared zone (`PW-UNDECLARED-FLOW`), or covered only by
///   an expired exception (`PW-FLOW-EXPIRED-EXCEPTION`);
/// - one source touching many ports or hosts within a window (`PW-PORT-SCAN`);
/// - repeated denies against CDE ports (`PW-REPEATED-DENIES`);
/// - an IDS alert and a flow from the same source to the CDE within a window (`PW-IDS-INCIDENT`, one
///   incident per source, CDE host, transport and port while its events keep coming: `IDSIncidents`);
/// - authentication failures followed by a connection to a CDE port (`PW-AUTH-FAILURES-THEN-ACCESS`);
/// - a log source gone silent (`PW-LOG-SOURCE-SILENT`, 10.7.2), from `tick(now:)`;
/// and counts the use of every declared service and exception.
public struct FlowCorrelator: Sendable {
    public let settings: CorrelatorSettings
    private let policy: FlowPolicy
    private var scans: SlidingWindow<IPAddress, TargetKey>
    private var denies: SlidingWindow<IPAddress, TargetKey>
    private var alerts: SlidingWindow<IPAddress, SecurityEvent>
    private var cdeFlows: SlidingWindow<IPAddress, FlowEvent>
    private var authFailures: SlidingWindow<IPAddress, SecurityEvent>
    private var incidents: IDSIncidents
    /// Every alert handed out, by fingerprint, with the latest throttled repeat since (not built into a finding
    /// until the alert is handed out again): one entry, changed in place, so a repeat costs one look-up. At most
    /// `settings.maxTrackedSources` entries; beyond it the oldest is evicted (`raise`).
    private var emitted: [String: Emitted] = [:]
    /// The fingerprints of `emitted` in the order they were emitted, from `emittedHead` on; an entry whose
    /// sequence no longer matches (swept, evicted, or emitted again later) is stale and skipped.
    private var emittedOrder: [(fingerprint: String, sequence: Int)] = []
    private var emittedHead = 0
    private var nextSequence = 0
    /// Throttled repeats of evicted or swept alerts, handed over by the next `takeRepeats` so that no counted
    /// event is lost.
    private var forgottenRepeats: [MonitorAlert] = []
    /// The size of `emitted` at which it is swept again for quiet alerts.
    private var nextSweep = 0
    /// The last time each log source (sensor, or the input name) wrote an event.
    public private(set) var lastHeard: [String: Date] = [:]
    private var silentReported: Set<String> = []
    /// Use per declared service id and per exception id.
    public private(set) var usage: [String: ServiceUsage] = [:]

    public init(policy: Policy, settings: CorrelatorSettings = CorrelatorSettings()) {
        self.settings = settings
        self.policy = FlowPolicy(policy)
        let cap = settings.maxTrackedSources
        scans = SlidingWindow(window: settings.scanWindow, maxKeys: cap, countsDistinct: true)
        denies = SlidingWindow(window: settings.denyWindow, maxKeys: cap)
        alerts = SlidingWindow(window: settings.incidentWindow, maxKeys: cap)
        cdeFlows = SlidingWindow(window: settings.incidentWindow, maxKeys: cap)
        authFailures = SlidingWindow(window: settings.authWindow, maxKeys: cap)
        incidents = IDSIncidents(window: settings.incidentWindow, maxIncidents: cap)
    }

    /// Judges one flow; returns the alerts it raised (after de-duplication and throttling).
    public mutating func observe(_ flow: FlowEvent, logSource: String) -> [MonitorAlert] {
        heard(flow.sensor ?? logSource, at: flow.time)
        var out: [MonitorAlert] = []
        // Zones as indices on the hot path; a `Zone` is copied only into a finding.
        let sourceIndex = policy.zoneIndex(of: flow.sourceAddress)
        let destinationIndex = policy.zoneIndex(of: flow.destinationAddress)
        var sourceZone: Zone? { sourceIndex.map { policy.zones[$0] } }
        let target = TargetKey(address: flow.destinationAddress, port: flow.destinationPort, proto: flow.ipProtocol)
        // A scan shows in attempts whatever the answer, so every flow counts here.
        let targets = scans.add(target, for: flow.sourceAddress, at: flow.time).distinct
        if targets >= settings.scanDistinctTargets {
            out += raise(
                FlowFindings.portScan(flow, sourceZone: sourceZone, targets: targets, window: settings.scanWindow),
                at: flow.time)
        }
        guard let destinationIndex, let transport = flow.transport, let port = flow.destinationPort else { return out }
        var destinationZone: Zone { policy.zones[destinationIndex] }
        let isCDE = policy.isCDE[destinationIndex]
        if flow.verdict == .denied {
            if isCDE {
                let recent = denies.add(target, for: flow.sourceAddress, at: flow.time)
                if recent.count >= settings.repeatedDenies {
                    out += raise(
                        FlowFindings.repeatedDenies(
                            flow, zone: destinationZone, count: recent.count,
                            window: settings.denyWindow), at: flow.time)
                }
            }
            return out
        }
        // Only traffic the network let through is judged against the allow-lists: an attempt that
        // never got an answer (Zeek S0, a netfilter line without a verdict) proves no access.
        guard flow.verdict == .allowed || flow.established == true else { return out }
        let judgement = policy.judge(
            source: flow.sourceAddress, sourceZone: sourceIndex, destination: flow.destinationAddress,
            destinationZone: destinationIndex, transport: transport, port: port, at: flow.time)
        switch judgement {
        case .service(let id):
            usage[id, default: ServiceUsage(kind: .service)].record(flow.sourceAddress, at: flow.time)
        case .exception(let id):
            usage[id, default: ServiceUsage(kind: .exception)].record(flow.sourceAddress, at: flow.time)
        case .expiredException(let id, let expired):
            out += raise(
                FlowFindings.expiredException(
                    flow, id: id, expired: expired, zone: destinationZone,
                    sourceZone: sourceZone), at: flow.time)
        case .sourceNotPermitted(let service):
            out += raise(
                FlowFindings.sourceNotPermitted(flow, service: service, zone: destinationZone, sourceZone: sourceZone),
                at: flow.time)
        case .undeclared:
            out += raise(
                FlowFindings.undeclared(flow, zone: destinationZone, sourceZone: sourceZone), at: flow.time)
        }
        if isCDE {
            _ = cdeFlows.add(flow, for: flow.sourceAddress, at: flow.time)
            out += joinIncident(flow, zone: destinationZone, judgement: judgement)
            let failures = authFailures.items(for: flow.sourceAddress, at: flow.time)
            if failures.count >= settings.authFailures {
                out += raise(
                    PendingFinding(
                        FlowFindings.authThenAccess(flow, failures: failures.map(\.item), zone: destinationZone)),
                    at: flow.time)
                authFailures.clear(flow.sourceAddress)
            }
        }
        return out
    }

    /// Takes one security event into the windows; an IDS alert whose source already reached the CDE
    /// raises the incident at once.
    public mutating func observe(_ event: SecurityEvent, logSource: String) -> [MonitorAlert] {
        heard(event.sensor ?? logSource, at: event.time)
        var out: [MonitorAlert] = []
        switch event.kind {
        case .idsAlert:
            _ = alerts.add(event, for: event.sourceAddress, at: event.time)
            out += joinIncidents(event)
        case .authFailure:
            _ = authFailures.add(event, for: event.sourceAddress, at: event.time)
        case .authSuccess, .anomaly:
            break
        }
        return out
    }

    /// A flow into the CDE joins (or with the IDS alerts for its source within the window, opens) the incident
    /// of its source, host, transport and port; the alerts not yet counted in it join too.
    private mutating func joinIncident(_ flow: FlowEvent, zone: Zone, judgement: FlowJudgement) -> [MonitorAlert] {
        guard let key = IDSIncidents.Key(flow), let latest = alerts.newest(for: flow.sourceAddress, at: flow.time)
        else { return [] }
        let since = incidents.lastSeen(key, at: flow.time)
        let joining = alerts.summary(for: flow.sourceAddress, at: flow.time, after: since)
        let alertCount = joining?.count ?? 0
        let (incident, opened) = incidents.join(
            key, alert: latest.item, flow: flow, alerts: alertCount, flows: 1,
            oldest: min(joining?.oldest ?? flow.time, flow.time), at: flow.time)
        return raise(
            FlowFindings.pendingIDSIncident(incident, zone: zone, judgement: judgement, policy: policy), at: flow.time,
            events: 1 + alertCount, reopen: opened)
    }

    /// An IDS alert joins (or opens) one incident per CDE host, transport and port its source reached within
    /// the window, with the flows to it not yet counted there.
    private mutating func joinIncidents(_ alert: SecurityEvent) -> [MonitorAlert] {
        let source = alert.sourceAddress
        var latest: [IDSIncidents.Key: FlowEvent] = [:]
        var keys: [IDSIncidents.Key] = []
        for (_, flow) in cdeFlows.items(for: source, at: alert.time) {
            guard let key = IDSIncidents.Key(flow) else { continue }
            if latest.updateValue(flow, forKey: key) == nil { keys.append(key) }
        }
        var out: [MonitorAlert] = []
        let sourceZone = policy.zoneIndex(of: source)
        for key in keys {
            guard let flow = latest[key], let zoneIndex = policy.zoneIndex(of: key.host) else { continue }
            let zone = policy.zones[zoneIndex]
            let since = incidents.lastSeen(key, at: alert.time)
            let joining = cdeFlows.summary(for: source, at: alert.time, after: since) { key.matches($0) }
            let flowCount = joining?.count ?? 0
            let (incident, opened) = incidents.join(
                key, alert: alert, flow: flow, alerts: 1, flows: flowCount,
                oldest: min(joining?.oldest ?? alert.time, alert.time), at: alert.time)
            let judgement = policy.judge(
                source: source, sourceZone: sourceZone, destination: key.host, destinationZone: zoneIndex,
                transport: key.transport, port: key.port, at: flow.time)
            out += raise(
                FlowFindings.pendingIDSIncident(incident, zone: zone, judgement: judgement, policy: policy),
                at: alert.time, events: 1 + flowCount, reopen: opened)
        }
        return out
    }

    /// Reports every log source that has been silent for `settings.silenceAfter` at `now`.
    public mutating func tick(now: Date) -> [MonitorAlert] {
        var out: [MonitorAlert] = []
        for (source, last) in lastHeard.sorted(by: { $0.key < $1.key })
        where now.timeIntervalSince(last) >= settings.silenceAfter && !silentReported.contains(source) {
            silentReported.insert(source)
            out += raise(PendingFinding(FlowFindings.silentSource(source, lastHeard: last, now: now)), at: now)
        }
        return out
    }

    /// The alerts de-duplication currently remembers (bounded by `settings.maxTrackedSources`).
    public var trackedAlerts: Int { emitted.count }

    /// The most sources any window currently tracks (bounded by `settings.maxTrackedSources`).
    public var trackedSources: Int {
        [scans.keyCount, denies.keyCount, alerts.keyCount, cdeFlows.keyCount, authFailures.keyCount, incidents.count]
            .max() ?? 0
    }

    /// The source `heard` saw last and its place in `lastHeard`: a log has one or a few sources, so most
    /// events compare one short string instead of hashing it.
    private var lastSource: (name: String, index: Dictionary<String, Date>.Index)?

    /// Once per event: the time its source was last heard of moves.
    private mutating func heard(_ source: String, at time: Date) {
        if let last = lastSource, last.name == source {
            if time > lastHeard.values[last.index] { lastHeard.values[last.index] = time }
        } else if let index = lastHeard.index(forKey: source) {
            if time > lastHeard.values[index] { lastHeard.values[index] = time }
            lastSource = (source, index)
        } else {
            lastHeard[source] = time
            lastSource = lastHeard.index(forKey: source).map { (source, $0) }
        }
        if !silentReported.isEmpty { silentReported.remove(source) }
    }

    /// Hands over the usage counted since the last call and starts counting afresh, so that a store can add
    /// each event's use exactly once.
    public mutating func takeUsage() -> [String: ServiceUsage] {
        defer { usage = [:] }
        return usage
    }

    /// Hands over the repeats of emitted alerts that were throttled since they were last emitted or taken
    /// (each with the count of those repeats and the finding of the latest), so that a store's counts include
    /// every event.
    public mutating func takeRepeats() -> [MonitorAlert] {
        var out = forgottenRepeats
        forgottenRepeats = []
        var index = emitted.startIndex
        while index != emitted.endIndex {
            if emitted.values[index].alert.count > 0 {
                var alert = emitted.values[index].alert
                if let pending = emitted.values[index].latest { alert.finding = pending.build() }
                out.append(alert)
                emitted.values[index].alert.count = 0
                emitted.values[index].latest = nil
            }
            emitted.formIndex(after: &index)
        }
        return out.sorted { $0.finding.fingerprint < $1.finding.fingerprint }
    }

    /// De-duplicates by fingerprint: a new alert is emitted; a repeat within the throttle only
    /// updates the count (its finding is built when the alert is handed out); after the throttle, or when
    /// `reopen` says the repeat starts something new (an incident after a quiet window), it is emitted again
    /// with the count of repeats since it was last emitted (the stored entry's count is the events not yet
    /// handed out). `events` is how many events this raise stands for.
    ///
    /// The table of emitted alerts holds at most `settings.maxTrackedSources` fingerprints. When a new one
    /// finds it full, alerts quiet for the throttle are forgotten first; if it is still full, the alert emitted
    /// longest ago (first, or again after its throttle) is evicted, whether or not it is still repeating. An
    /// evicted alert is no longer de-duplicated: its next repeat is emitted (printed and sent) again as if new,
    /// so more distinct alerts than the cap within one throttle window mean some duplicates rather than
    /// unbounded memory. Its throttled repeats not yet handed over go to the next `takeRepeats`, so counts
    /// lose nothing.
    private mutating func raise(
        _ pending: PendingFinding, at time: Date, events: Int = 1, reopen: Bool = false
    ) -> [MonitorAlert] {
        let fingerprint = pending.fingerprint
        if let index = emitted.index(forKey: fingerprint) {
            // In place: copying the entry out and back would retain and release every string of its finding.
            emitted.values[index].alert.count += events
            emitted.values[index].alert.lastSeen = time
            if reopen { emitted.values[index].alert.firstSeen = time }
            guard reopen || time.timeIntervalSince(emitted.values[index].alert.firstSeen) >= settings.throttle else {
                emitted.values[index].latest = pending
                return []
            }
            var known = emitted.values[index].alert
            let finding = pending.build()
            known.finding = finding
            emitted.values[index].alert = MonitorAlert(finding: finding, firstSeen: time, lastSeen: time, count: 0)
            emitted.values[index].latest = nil
            // Emitted again: the newest in eviction order (its earlier place in the order list is now stale).
            emitted.values[index].sequence = nextSequence
            emittedOrder.append((fingerprint, nextSequence))
            nextSequence += 1
            compactOrder(cap: max(1, settings.maxTrackedSources))
            return [known]
        }
        // Alerts quiet for the throttle are forgotten once the table is full. The sweep is O(table), so after one
        // that leaves the table full (more distinct alerts within the throttle than the cap), the next waits for
        // a tenth of the cap of new alerts: sweeping again on every new alert made a large log quadratic.
        let cap = max(1, settings.maxTrackedSources)
        if emitted.count >= cap, emitted.count >= nextSweep {
            let quiet = emitted.keys.filter {
                time.timeIntervalSince(emitted[$0]?.alert.lastSeen ?? time) >= settings.throttle
            }
            for key in quiet { forget(key) }
            nextSweep = emitted.count + max(1, cap / 10)
        }
        // Still full: the oldest goes, so the table never holds more than the cap.
        while emitted.count >= cap, evictOldest() {}
        let finding = pending.build()
        emitted[fingerprint] = Emitted(
            alert: MonitorAlert(finding: finding, firstSeen: time, lastSeen: time, count: 0), latest: nil,
            sequence: nextSequence)
        emittedOrder.append((fingerprint, nextSequence))
        nextSequence += 1
        compactOrder(cap: cap)
        return [MonitorAlert(finding: finding, firstSeen: time, lastSeen: time, count: events)]
    }

    /// Removes the alert emitted longest ago that is still kept. - Returns: whether one was removed.
    private mutating func evictOldest() -> Bool {
        while emittedHead < emittedOrder.count {
            let (fingerprint, sequence) = emittedOrder[emittedHead]
            emittedHead += 1
            if emitted[fingerprint]?.sequence == sequence {
                forget(fingerprint)
                return true
            }
        }
        return false
    }

    /// Drops `fingerprint` from the table, keeping its repeats not yet handed over for `takeRepeats`.
    private mutating func forget(_ fingerprint: String) {
        guard let entry = emitted.removeValue(forKey: fingerprint) else { return }
        guard entry.alert.count > 0 else { return }
        var alert = entry.alert
        if let latest = entry.latest { alert.finding = latest.build() }
        forgottenRepeats.append(alert)
    }

    /// Keeps the order list near the table's size: consumed and stale entries (swept alerts) are dropped once
    /// they are as many as the cap, so the work is amortised over at least `cap` new alerts.
    private mutating func compactOrder(cap: Int) {
        guard emittedOrder.count - emitted.count >= cap else { return }
        emittedOrder = emittedOrder[emittedHead...].filter { emitted[$0.fingerprint]?.sequence == $0.sequence }
        emittedHead = 0
    }
}

/// An alert the correlator handed out, and the latest of its repeats since, if any.
private struct Emitted: Sendable {
    var alert: MonitorAlert
    var latest: PendingFinding?
    /// When it was last emitted, for evicting the oldest.
    var sequence = 0
}

/// A destination of a flow, for counting distinct targets.
struct TargetKey: Hashable, Sendable {
    var address: IPAddress
    var port: UInt16?
    var proto: UInt8
}
