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
                allowFrom: [.zone("cde-app"), .prefix(Prefix("10.0.5.5/32")!)])
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
