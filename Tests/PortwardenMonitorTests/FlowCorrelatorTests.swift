import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@testable import PortwardenMonitor

@Suite("Correlator: flows and security events judged against the policy")
struct FlowCorrelatorTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_083_200)

    static let policy = Policy(
        zones: [
            Zone(id: "cde-db", kind: .cde, prefixes: [Prefix("10.20.1.0/24")!]),
            Zone(id: "cde-app", kind: .cde, prefixes: [Prefix("10.20.2.0/24")!]),
            Zone(id: "corp", kind: .outOfScope, prefixes: [Prefix("10.0.0.0/16")!]),
            Zone(id: "wifi", kind: .wireless, prefixes: [Prefix("10.9.0.0/16")!]),
        ],
        services: [
            Service(
                id: "pg", zone: "cde-db", hosts: [Prefix("10.20.1.10/32")!], ports: [PortSpec(.tcp, port: 5432)],
                process: "postgres", allowFrom: [.zone("cde-app"), .prefix(Prefix("10.0.5.5/32")!)], owner: "dba-team")
        ],
        exceptions: [
            PolicyException(
                id: "EX-1", zone: "cde-db", hosts: [Prefix("10.20.1.12/32")!], ports: [PortSpec(.tcp, port: 23)],
                allowFrom: [.prefix(Prefix("10.0.9.5/32")!)], expires: CalendarDay("2026-11-30"))
        ])

    static func flow(
        _ source: String, _ destination: String, _ port: UInt16, at seconds: Double = 0,
        verdict: FlowEvent.Verdict = .allowed, proto: UInt8 = 6
    ) -> FlowEvent {
        FlowEvent(
            time: t0.addingTimeInterval(seconds), origin: .netfilter, ipProtocol: proto,
            sourceAddress: IPAddress(source)!, sourcePort: 40000, destinationAddress: IPAddress(destination)!,
            destinationPort: port, verdict: verdict, sensor: "fw1")
    }

    @Test("a permitted flow counts as use of its service, and raises nothing")
    func permitted() {
        var correlator = FlowCorrelator(policy: Self.policy)
        #expect(correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432), logSource: "fw.log").isEmpty)
        #expect(correlator.observe(Self.flow("10.0.5.5", "10.20.1.10", 5432, at: 5), logSource: "fw.log").isEmpty)
        #expect(correlator.usage["pg"]?.hits == 2)
        #expect(correlator.usage["pg"]?.sources.count == 2)
    }

    @Test(
        "source not permitted, tagged by zone pair",
        arguments: [
            ("10.0.1.1", ["1.2.5", "1.3.1", "12.5.2"], Severity.critical),
            ("10.9.1.1", ["1.2.5", "1.3.1", "1.3.3"], Severity.critical),
        ])
    func sourceNotPermitted(source: String, ids: [String], severity: Severity) throws {
        var correlator = FlowCorrelator(policy: Self.policy)
        let alerts = correlator.observe(Self.flow(source, "10.20.1.10", 5432), logSource: "fw.log")
        let finding = try #require(alerts.first?.finding)
        #expect(finding.rule == "PW-SOURCE-NOT-PERMITTED")
        #expect(finding.requirements.map(\.id) == ids)
        #expect(finding.severity == severity)
        #expect(!finding.requirements.contains(Requirement("11.4.5")))
    }

    @Test("traffic to an undeclared port, and traffic covered only by an expired exception")
    func undeclaredAndExpired() throws {
        var correlator = FlowCorrelator(policy: Self.policy)
        let undeclared = correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 6379), logSource: "fw.log")
        #expect(undeclared.map(\.finding.rule) == ["PW-UNDECLARED-FLOW"])
        let expired = correlator.observe(Self.flow("10.0.9.5", "10.20.1.12", 23), logSource: "fw.log")
        #expect(expired.map(\.finding.rule) == ["PW-FLOW-EXPIRED-EXCEPTION"])
        #expect(expired.first?.finding.message.contains("2026-11-30") == true)
    }

    @Test("an unanswered attempt proves no access; a denied one is the control working")
    func attemptsAreNotAccess() {
        var correlator = FlowCorrelator(policy: Self.policy)
        #expect(
            correlator.observe(Self.flow("10.0.1.1", "10.20.1.10", 5432, verdict: .unknown), logSource: "l").isEmpty)
        #expect(correlator.observe(Self.flow("10.0.1.1", "10.20.1.10", 5432, verdict: .denied), logSource: "l").isEmpty)
    }

    @Test("repeated denies against CDE ports, then a port scan; repeats update the count, not the output")
    func deniesAndScan() {
        var correlator = FlowCorrelator(policy: Self.policy)
        var rules: [String] = []
        for i in 0..<30 {
            let alerts = correlator.observe(
                Self.flow("10.0.1.1", "10.20.1.10", UInt16(1000 + i), at: Double(i), verdict: .denied), logSource: "l")
            rules += alerts.map(\.finding.rule)
        }
        #expect(rules.filter { $0 == "PW-REPEATED-DENIES" }.count == 1)
        #expect(rules.filter { $0 == "PW-PORT-SCAN" }.count == 1)
        #expect(rules.firstIndex(of: "PW-REPEATED-DENIES")! < rules.firstIndex(of: "PW-PORT-SCAN")!)
    }

    @Test("an IDS alert and a flow from the same source to the CDE form one incident, in either order")
    func idsIncident() {
        let alert = SecurityEvent(
            time: Self.t0, kind: .idsAlert, origin: .suricata, sourceAddress: IPAddress("10.20.2.7")!,
            signature: "ET EXPLOIT x", signatureID: 1)
        var first = FlowCorrelator(policy: Self.policy)
        #expect(first.observe(alert, logSource: "eve").isEmpty)
        let after = first.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432, at: 30), logSource: "fw")
        #expect(after.map(\.finding.rule) == ["PW-IDS-INCIDENT"])
        #expect(after.first?.finding.message.contains("declared service pg") == true)

        var second = FlowCorrelator(policy: Self.policy)
        #expect(second.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432), logSource: "fw").isEmpty)
        var late = alert
        late.time = Self.t0.addingTimeInterval(60)
        #expect(second.observe(late, logSource: "eve").map(\.finding.rule) == ["PW-IDS-INCIDENT"])
        var tooLate = alert
        tooLate.time = Self.t0.addingTimeInterval(10_000)
        var third = FlowCorrelator(policy: Self.policy)
        _ = third.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432), logSource: "fw")
        #expect(third.observe(tooLate, logSource: "eve").isEmpty)
    }

    static func idsAlert(at seconds: Double, from source: String = "10.20.2.7") -> SecurityEvent {
        SecurityEvent(
            time: t0.addingTimeInterval(seconds), kind: .idsAlert, origin: .suricata, sourceAddress: IPAddress(source)!,
            signature: "ET EXPLOIT x", signatureID: 1)
    }

    /// Every event the correlator counted for each fingerprint: emitted alerts and the throttled repeats.
    static func counted(_ emitted: [MonitorAlert], _ correlator: inout FlowCorrelator) -> [String: Int] {
        var counts: [String: Int] = [:]
        for alert in emitted + correlator.takeRepeats() { counts[alert.finding.fingerprint, default: 0] += alert.count }
        return counts
    }

    @Test("5 IDS alerts and 3 flows from one source to one CDE port are one incident that counts all 8 events")
    func oneIncidentPerPort() throws {
        var correlator = FlowCorrelator(policy: Self.policy)
        var emitted: [MonitorAlert] = []
        for i in 0..<5 { emitted += correlator.observe(Self.idsAlert(at: Double(i)), logSource: "eve") }
        for i in 0..<3 {
            emitted += correlator.observe(
                Self.flow("10.20.2.7", "10.20.1.10", 5432, at: 10 + Double(i)), logSource: "fw")
        }
        #expect(emitted.map(\.finding.rule) == ["PW-IDS-INCIDENT"])
        let first = try #require(emitted.first)
        #expect(first.count == 6, "the flow that opened it and the 5 alerts before it")
        #expect(first.finding.message.contains("declared service pg, owner dba-team, declared process postgres"))
        let repeats = correlator.takeRepeats()
        #expect(repeats.map(\.count) == [2])
        let latest = try #require(repeats.first?.finding)
        #expect(latest.fingerprint == first.finding.fingerprint)
        #expect(latest.message.contains("one incident of 5 IDS alerts and 3 connections"), "\(latest.message)")
        #expect(latest.port == 5432 && latest.host == IPAddress("10.20.1.10"))
    }

    @Test("alerts and flows interleaved: each event is counted once, in the one incident of its port")
    func interleaved() {
        var correlator = FlowCorrelator(policy: Self.policy)
        var emitted: [MonitorAlert] = []
        for i in 0..<4 {
            let t = Double(i) * 20
            emitted += correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432, at: t), logSource: "fw")
            emitted += correlator.observe(Self.idsAlert(at: t + 10), logSource: "eve")
        }
        #expect(emitted.count == 1)
        #expect(Self.counted(emitted, &correlator).values.sorted() == [8])
    }

    @Test("a second CDE port of the same source is a second incident; the alerts count in both")
    func secondPortSecondIncident() {
        var correlator = FlowCorrelator(policy: Self.policy)
        var emitted: [MonitorAlert] = []
        for i in 0..<5 { emitted += correlator.observe(Self.idsAlert(at: Double(i)), logSource: "eve") }
        for i in 0..<3 {
            emitted += correlator.observe(
                Self.flow("10.20.2.7", "10.20.1.10", 5432, at: 10 + Double(i)), logSource: "fw")
        }
        emitted += correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 6432, at: 20), logSource: "fw")
        let incidents = emitted.filter { $0.finding.rule == "PW-IDS-INCIDENT" }
        #expect(incidents.map(\.finding.port) == [5432, 6432])
        #expect(Set(incidents.map(\.finding.fingerprint)).count == 2)
        #expect(incidents.last?.count == 6)
        #expect(incidents.last?.finding.message.contains("no declared service or exception") == true)
        // A later alert joins both incidents and raises neither again.
        #expect(correlator.observe(Self.idsAlert(at: 30), logSource: "eve").isEmpty)
        #expect(Self.counted(incidents, &correlator).values.sorted() == [7, 9])
    }

    @Test("after a window without alerts or flows, the next pair opens a new incident")
    func newIncidentAfterTheWindow() {
        var correlator = FlowCorrelator(policy: Self.policy)
        _ = correlator.observe(Self.idsAlert(at: 0), logSource: "eve")
        #expect(correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432, at: 5), logSource: "fw").count == 1)
        // Flows keep coming, but 600 s after the alert they no longer join anything.
        #expect(correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432, at: 500), logSource: "fw").isEmpty)
        #expect(correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432, at: 700), logSource: "fw").isEmpty)
        // An alert within the window of the incident's last event (500 s) joins it.
        #expect(correlator.observe(Self.idsAlert(at: 1000), logSource: "eve").isEmpty)
        // 2,000 s later: a new alert and flow are a new incident (within the hour the old one would throttle).
        _ = correlator.observe(Self.idsAlert(at: 3000), logSource: "eve")
        let again = correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432, at: 3010), logSource: "fw")
        #expect(again.map(\.finding.rule) == ["PW-IDS-INCIDENT"])
        #expect(again.first?.finding.message.contains("one incident of 1 IDS alert and 1 connection since") == true)
    }

    @Test("authentication failures followed by a connection to a CDE port")
    func authThenAccess() {
        var correlator = FlowCorrelator(policy: Self.policy)
        for i in 0..<5 {
            let failure = SecurityEvent(
                time: Self.t0.addingTimeInterval(Double(i)), kind: .authFailure, origin: .sshd,
                sourceAddress: IPAddress("10.20.2.7")!, user: "root")
            _ = correlator.observe(failure, logSource: "auth.log")
        }
        let alerts = correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432, at: 20), logSource: "fw")
        #expect(alerts.map(\.finding.rule) == ["PW-AUTH-FAILURES-THEN-ACCESS"])
        #expect(alerts.first?.finding.requirements.map(\.id) == ["10.4.1"])
    }

    @Test("a log source that goes silent is reported once, until it speaks again")
    func silentSource() {
        var correlator = FlowCorrelator(policy: Self.policy)
        _ = correlator.observe(Self.flow("10.20.2.7", "10.20.1.10", 5432), logSource: "fw")
        #expect(correlator.tick(now: Self.t0.addingTimeInterval(600)).isEmpty)
        let silent = correlator.tick(now: Self.t0.addingTimeInterval(3600))
        #expect(silent.map(\.finding.rule) == ["PW-LOG-SOURCE-SILENT"])
        #expect(silent.first?.finding.requirements.map(\.id) == ["10.7.2"])
        #expect(correlator.tick(now: Self.t0.addingTimeInterval(7200)).isEmpty)
    }

    @Test("memory stays bounded: a million distinct sources keep at most the configured number")
    func bounded() {
        var settings = CorrelatorSettings()
        settings.maxTrackedSources = 1000
        var correlator = FlowCorrelator(policy: Self.policy, settings: settings)
        for i in 0..<20_000 {
            let source = IPAddress(ipv4: 0x0A00_0000 | UInt32(i))
            _ = correlator.observe(
                FlowEvent(
                    time: Self.t0.addingTimeInterval(Double(i) / 1000), origin: .zeek, ipProtocol: 6,
                    sourceAddress: source, sourcePort: 1, destinationAddress: IPAddress("10.20.1.10")!,
                    destinationPort: 9, verdict: .denied), logSource: "z")
        }
        #expect(correlator.trackedSources <= 1000)
    }

    @Test("more distinct alerts than the cap within one throttle: the table stays at the cap, oldest evicted")
    func alertTableIsBounded() throws {
        var settings = CorrelatorSettings()
        settings.maxTrackedSources = 20
        var correlator = FlowCorrelator(policy: Self.policy, settings: settings)
        // 100 undeclared ports on one CDE host (one fingerprint each), each from its own source so that no scan
        // is seen, all within a minute: nothing is quiet for the hour's throttle, so no sweep can help.
        func undeclared(_ port: Int, at seconds: Double) -> FlowEvent {
            Self.flow("10.0.3.\(port % 250 + 1)", "10.20.1.10", UInt16(10_000 + port), at: seconds)
        }
        var largest = 0
        for port in 0..<100 {
            let alerts = correlator.observe(undeclared(port, at: Double(port) / 10), logSource: "fw")
            #expect(alerts.map(\.finding.rule) == ["PW-UNDECLARED-FLOW"], "port \(port)")
            largest = max(largest, correlator.trackedAlerts)
        }
        #expect(largest == 20, "the table fills to the cap and never past it")
        // A repeat of a kept alert (one of the newest 20) is still suppressed and counted.
        #expect(correlator.observe(undeclared(95, at: 20), logSource: "fw").isEmpty)
        #expect(correlator.trackedAlerts == 20)
        // A repeat of an evicted one (the first) is emitted again: what eviction costs de-duplication.
        let again = correlator.observe(undeclared(0, at: 21), logSource: "fw")
        #expect(again.map(\.finding.rule) == ["PW-UNDECLARED-FLOW"])
        #expect(correlator.trackedAlerts == 20)
        // The suppressed repeat is handed over; none of the evicted alerts had repeats to lose.
        let repeats = correlator.takeRepeats()
        #expect(repeats.map(\.count) == [1])
        #expect(repeats.first?.finding.port == 10_095)
    }

    @Test("an evicted alert's throttled repeats are still handed over, so its count loses nothing")
    func evictedRepeatsAreKept() throws {
        var settings = CorrelatorSettings()
        settings.maxTrackedSources = 3
        var correlator = FlowCorrelator(policy: Self.policy, settings: settings)
        func undeclared(_ port: UInt16, at seconds: Double) -> FlowEvent {
            Self.flow("10.0.3.\(port)", "10.20.1.10", 20_000 + port, at: seconds)
        }
        #expect(correlator.observe(undeclared(1, at: 0), logSource: "fw").count == 1)
        for i in 1...4 { #expect(correlator.observe(undeclared(1, at: Double(i)), logSource: "fw").isEmpty) }
        for port: UInt16 in 2...4 { #expect(correlator.observe(undeclared(port, at: 10), logSource: "fw").count == 1) }
        #expect(correlator.trackedAlerts == 3)
        let repeats = correlator.takeRepeats()
        #expect(repeats.map(\.count) == [4])
        #expect(repeats.first?.finding.port == 20_001)
    }
}

@Suite("Correlator windows keep a bounded number of events per source")
struct SlidingWindowBoundTests {
    @Test("one source writing thousands of events inside the window keeps only the newest 256")
    func busySourceIsBounded() {
        var window = SlidingWindow<Int, Int>(window: 60, maxKeys: 10)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var held = 0
        for n in 0..<5000 { held = window.add(n, for: 1, at: now).count }
        #expect(held == 256)
        #expect(window.items(for: 1, at: now).first?.item == 5000 - 256)
    }

    @Test("distinct items are counted as they arrive and leave, also out of time order")
    func distinctCounts() {
        var window = SlidingWindow<Int, Int>(window: 60, maxKeys: 10, countsDistinct: true)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for n in 0..<1000 { _ = window.add(n % 3, for: 1, at: start.addingTimeInterval(Double(n) / 100)) }
        #expect(window.add(7, for: 1, at: start.addingTimeInterval(10)).distinct == 4)
        // An item from before the others, then one that makes every earlier item leave the window.
        #expect(window.add(8, for: 1, at: start.addingTimeInterval(-1)).distinct == 5)
        let later = window.add(9, for: 1, at: start.addingTimeInterval(65))
        #expect(later.distinct == 5, "8, from -1 s, has left; 0, 1, 2 and 7 are still inside")
        #expect(window.items(for: 1, at: start.addingTimeInterval(65)).allSatisfy { $0.time >= start })
        let alone = window.add(9, for: 1, at: start.addingTimeInterval(70.5))
        #expect(alone.count == 2 && alone.distinct == 1, "only the two 9s are inside")
        var plain = SlidingWindow<Int, Int>(window: 60, maxKeys: 10)
        #expect(plain.add(1, for: 1, at: start).distinct == 0)
    }
}
