import Foundation
import PortwardenCore
import Testing

@testable import PortwardenHost

@Suite("Per-port drift and debouncing")
struct DriftTests {
    static let ns = NamespaceRef(inode: 4_026_531_840)

    static func listener(
        _ transport: Transport, _ address: String, _ port: UInt16, exe: String = "/usr/sbin/sshd", pid: Int32 = 100,
        unit: String? = nil
    ) -> Listener {
        Listener(
            transport: transport, address: IPAddress(address) ?? IPAddress(ipv4: 0), port: port, namespace: ns,
            owners: [ProcessOwner(pid: pid, executable: exe, unit: unit)], inode: UInt64(pid) * 10)
    }

    static func listener(
        _ address: String, _ port: UInt16, exe: String = "/usr/sbin/sshd", pid: Int32 = 100, unit: String? = nil
    ) -> Listener {
        listener(.tcp, address, port, exe: exe, pid: pid, unit: unit)
    }

    static func listener(
        port: UInt16, exe: String = "/usr/sbin/sshd", pid: Int32 = 100, unit: String? = nil
    )
        -> Listener
    {
        listener(.tcp, "0.0.0.0", port, exe: exe, pid: pid, unit: unit)
    }

    @Test func aRestartWithANewPidIsNoChange() {
        let before = [
            Self.listener(port: 22, pid: 100), Self.listener(.udp, "127.0.0.1", 53, exe: "/usr/sbin/unbound", pid: 7),
        ]
        let after = [
            Self.listener(port: 22, pid: 4242), Self.listener(.udp, "127.0.0.1", 53, exe: "/usr/sbin/unbound", pid: 9),
        ]
        #expect(InventoryDrift.compare(previous: before, current: after).isEmpty)
    }

    @Test func eachKindIsReportedPerPort() {
        let before = [
            Self.listener(port: 22), Self.listener("127.0.0.1", 6379, exe: "/usr/bin/redis-server"),
            Self.listener(port: 5432, exe: "/usr/lib/postgresql/bin/postgres"),
            Self.listener(port: 23, exe: "/usr/sbin/telnetd"),
        ]
        let after = [
            Self.listener(port: 22), Self.listener("0.0.0.0", 6379, exe: "/usr/bin/redis-server"),
            Self.listener(port: 5432, exe: "/tmp/evil"), Self.listener(port: 8080, exe: "/usr/bin/python3"),
        ]
        let changes = InventoryDrift.compare(previous: before, current: after)
        #expect(changes.map(\.kind) == [.closed, .ownerChanged, .scopeChanged, .opened])
        #expect(changes.map(\.port.port) == [23, 5432, 6379, 8080])
        #expect(
            changes[2].description
                == "scope-changed tcp/6379 ipv4 in net:[4026531840]: loopback 127.0.0.1 → wildcard 0.0.0.0")
        #expect(changes[1].description.contains("/usr/lib/postgresql/bin/postgres → /tmp/evil"))
    }

    @Test func ipv4AndIPv6OfTheSamePortAreSeparatePorts() {
        let before = [Self.listener(port: 22)]
        let after = [Self.listener(port: 22), Self.listener("::", 22)]
        let changes = InventoryDrift.compare(previous: before, current: after)
        #expect(changes.count == 1)
        #expect(changes.first?.kind == .opened)
        #expect(changes.first?.port.family == "ipv6")
    }

    @Test func unknownOwnersAreNotAnOwnerChange() {
        var unknown = Self.listener(port: 22)
        unknown.owners = []
        #expect(InventoryDrift.compare(previous: [Self.listener(port: 22)], current: [unknown]).isEmpty)
    }

    @Test func theUnitAndContainerArePartOfTheOwner() {
        let before = [Self.listener(port: 80, exe: "/usr/sbin/nginx", unit: "nginx.service")]
        let after = [Self.listener(port: 80, exe: "/usr/sbin/nginx", unit: "session-4.scope")]
        #expect(InventoryDrift.compare(previous: before, current: after).map(\.kind) == [.ownerChanged])
    }

    @Test func theTrackerReportsOnlyWhatHoldsInTwoOfThree() {
        var tracker = DriftTracker()
        let base = [Self.listener(port: 22), Self.listener(port: 80, exe: "/usr/sbin/nginx")]
        let without80 = [Self.listener(port: 22, pid: 5)]
        #expect(tracker.record(base).isEmpty)  // baseline
        #expect(tracker.record(without80).isEmpty)  // one run: a flap, or a restart caught mid-way
        #expect(tracker.record(base).isEmpty)  // back
        #expect(tracker.record(base).isEmpty)
        #expect(tracker.record(without80).isEmpty)  // 1 of the last 3 (base, base, without)
        let confirmed = tracker.record(without80)  // 2 of the last 3 (base, without, without)
        #expect(confirmed.map(\.kind) == [.closed])
        #expect(confirmed.first?.port.port == 80)
        #expect(tracker.record(without80).isEmpty)  // reported once
    }

    @Test(arguments: [(1, 1), (3, 3), (2, 4)])
    func theTrackerHonoursKOfN(required: Int, window: Int) {
        var tracker = DriftTracker(required: required, window: window)
        _ = tracker.record([])
        var reportedAt: Int?
        for run in 1...6 where reportedAt == nil {
            if !tracker.record([Self.listener(port: 443)]).isEmpty { reportedAt = run }
        }
        #expect(reportedAt == required)
    }

    @Test func trackerStateSurvivesJSON() throws {
        var tracker = DriftTracker(required: 2, window: 3)
        _ = tracker.record([Self.listener(port: 22)])
        _ = tracker.record([Self.listener(port: 22), Self.listener(port: 8080)])
        let data = try JSONEncoder().encode(tracker)
        var restored = try JSONDecoder().decode(DriftTracker.self, from: data)
        #expect(restored == tracker)
        let changes = restored.record([Self.listener(port: 22), Self.listener(port: 8080, pid: 77)])
        #expect(changes.map(\.kind) == [.opened])
        #expect(changes.map(\.port.port) == [8080])
    }
}
