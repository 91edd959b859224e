import Foundation
import PortwardenCore
import PortwardenHost
import PortwardenTestSupport
import Testing

@Suite(
    "Inventory of real listeners in a network namespace", .serialized,
    .needsNetworkNamespaces
)
struct NamespaceInventoryTests {
    /// The client sockets come first, so that they exist once the listeners are seen.
    static let pythonSpecs = [
        "udpconnected:127.0.0.1:7100", "udpclient:127.0.0.1:9", "tcp4:0.0.0.0:7001", "tcp6:::1:7002",
        "udp6:fd00:77::1:7005", "udp4:0.0.0.0:7006",
    ]

    private func startAll(_ lab: ListenerLab) throws {
        try lab.startPython("py-root", Self.pythonSpecs)
        try lab.startPython("py-nobody", asNobody: true, ["tcp6:fd00:77::1:7007"])
        try lab.start(
            "socat-nobody", asNobody: true, ["socat", "-u", "TCP4-LISTEN:7003,bind=10.77.0.1,reuseaddr", "/dev/null"])
        try lab.start("socat-root", ["socat", "-u", "UDP4-RECV:7004,bind=127.0.0.1", "/dev/null"])
        let ready = try lab.waitForPorts([
            "tcp/7001", "tcp/7002", "tcp/7003", "udp/7004", "udp/7005", "udp/7006", "tcp/7007",
        ])
        try #require(ready, "the listeners did not come up in the namespace")
    }

    private func key(_ listener: Listener) -> String { listener.endpoint }

    @Test func everyListenerWithItsOwnerUserNamespaceAndScope() throws {
        let lab = try ListenerLab()
        defer { lab.tearDown() }
        try startAll(lab)
        let (report, mine) = lab.inventory()

        let expected: [String: (BindScope, String, String)] = [
            "tcp 0.0.0.0:7001": (.wildcard, "py-root", "root"), "tcp [::1]:7002": (.loopback, "py-root", "root"),
            "tcp 10.77.0.1:7003": (.address, "socat-nobody", "nobody"),
            "udp 127.0.0.1:7004": (.loopback, "socat-root", "root"),
            "udp [fd00:77::1]:7005": (.address, "py-root", "root"),
            "udp 0.0.0.0:7006": (.wildcard, "py-root", "root"),
            "tcp [fd00:77::1]:7007": (.address, "py-nobody", "nobody"),
        ]
        #expect(Set(mine.map(key)) == Set(expected.keys))
        for listener in mine {
            guard let (scope, process, user) = expected[key(listener)] else { continue }
            #expect(listener.bind == scope, "\(key(listener))")
            let owner = try #require(listener.owners.first, "no owner for \(key(listener))")
            #expect(listener.owners.count == 1)
            #expect(owner.pid == lab.pid(process), "\(key(listener))")
            #expect(owner.executable == lab.executable(process), "\(key(listener))")
            #expect(owner.executable?.contains("/shims/") == false)
            #expect(owner.user == user, "\(key(listener))")
            #expect(owner.uid == (user == "root" ? 0 : 65534))
            #expect(listener.namespace.inode == ns(inodeOf: lab))
        }
        #expect(report.namespaces.contains { $0.name == lab.namespace.name })
        // The connected UDP socket (7100) is not a listener; the ephemeral client socket is set aside.
        #expect(!mine.contains { $0.port == 7100 })
        let ephemeral = report.ephemeralUDP.filter { $0.namespace.name == lab.namespace.name }
        #expect(ephemeral.count == 1)
        #expect(ephemeral.first?.owners.first?.pid == lab.pid("py-root"))
    }

    @Test func theSameSetAsSS() throws {
        let lab = try ListenerLab()
        defer { lab.tearDown() }
        try startAll(lab)
        let oracle = try lab.ss()
        let (_, mine) = lab.inventory()
        func triple(_ l: Listener) -> String { "\(l.transport.rawValue) \(l.address) \(l.port)" }
        #expect(Set(mine.map(triple)) == Set(oracle.map(triple)))
        #expect(mine.count == oracle.count)
        // ss names the same pids.
        for listener in mine {
            let fromSS = oracle.first { triple($0) == triple(listener) }
            #expect(Set(fromSS?.owners.map(\.pid) ?? []) == Set(listener.owners.map(\.pid)))
        }
    }

    @Test func aRestartIsNoDriftAndClosingOnePortIsExactlyOneClosed() throws {
        let lab = try ListenerLab()
        defer { lab.tearDown() }
        try startAll(lab)
        let (_, first) = lab.inventory()
        let oldPid = try #require(lab.pid("socat-root"))

        lab.stop("socat-root")
        try lab.start("socat-root", ["socat", "-u", "UDP4-RECV:7004,bind=127.0.0.1", "/dev/null"])
        try #require(try lab.waitForPorts(["udp/7004"]))
        let (_, restarted) = lab.inventory()
        let newOwner = try #require(restarted.first { $0.port == 7004 }?.owners.first)
        #expect(newOwner.pid != oldPid)
        #expect(InventoryDrift.compare(previous: first, current: restarted).isEmpty)

        lab.stop("socat-nobody")
        let (_, closed) = lab.inventory()
        let changes = InventoryDrift.compare(previous: restarted, current: closed)
        #expect(changes.count == 1)
        #expect(changes.first?.kind == .closed)
        #expect(changes.first?.port.port == 7003)
        #expect(changes.first?.port.transport == .tcp)

        var tracker = DriftTracker()
        #expect(tracker.record(first).isEmpty)
        #expect(tracker.record(restarted).isEmpty)
        #expect(tracker.record(closed).isEmpty)
        #expect(tracker.record(closed).map(\.kind) == [.closed])
    }

    private func ns(inodeOf lab: ListenerLab) -> UInt64? {
        var info = stat()
        guard stat("/var/run/netns/\(lab.namespace.name)", &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }
}
