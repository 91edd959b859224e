import Foundation
import PortwardenCore
import Testing

@testable import PortwardenHost

@Suite("Inventory of a fixture /proc tree")
struct FixtureInventoryTests {
    static let container = "3f2a9c1e0b7d4a5f8e6c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e"
    static let nsLink = "net:[4026531999]"

    /// pid 100: sshd (root, ssh.service) holding tcp 0.0.0.0:22 and udp 0.0.0.0:53;
    /// pid 200: no exe link (kernel thread or exited), uid 1000, in a docker container, holding [::1]:8080;
    /// pid 300: its fd "directory" cannot be read, so [2001:db8::1]:443 has no known owner;
    /// pid 400: in another namespace whose tables are gone (exited mid-scan).
    private func makeFixture() throws -> ProcFixture {
        let f = try ProcFixture()
        typealias R = ProcFixture
        try f.write(
            "100/net/tcp",
            R.tcpHeader + R.row(0, "00000000:0016", "00000000:0000", state: "0A", inode: 1001)
                + R.row(1, "0100007F:0016", "0100007F:D431", state: "01", inode: 1010)  // established
                + "   2: this line is broken\n")
        try f.write(
            "100/net/tcp6",
            R.tcp6Header
                + R.row(
                    0, "00000000000000000000000001000000:1F90", "00000000000000000000000000000000:0000", state: "0A",
                    inode: 1002)
                + R.row(
                    1, "B80D0120000000000000000001000000:01BB", "00000000000000000000000000000000:0000", state: "0A",
                    inode: 1003))
        try f.write(
            "100/net/udp",
            R.tcpHeader + R.row(0, "00000000:0035", "00000000:0000", state: "07", inode: 1004)
                + R.row(1, "0100007F:9C40", "00000000:0000", state: "07", inode: 1005)  // 40000: ephemeral range
                + R.row(2, "0100007F:1388", "0100007F:0035", state: "01", inode: 1006))  // connected
        try f.write("100/net/udp6", R.tcp6Header)
        try f.write("sys/net/ipv4/ip_local_port_range", "32768\t60999\n")
        try f.link("self", to: "100")
        for pid in [100, 200, 300] { try f.link("\(pid)/ns/net", to: Self.nsLink) }
        try f.link("400/ns/net", to: "net:[4026532000]")
        try f.link("100/exe", to: "/usr/sbin/sshd")
        try f.write("100/cmdline", "/usr/sbin/sshd\u{0}-D\u{0}")
        try f.write("100/status", "Name:\tsshd\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n")
        try f.write("100/cgroup", "0::/system.slice/ssh.service\n")
        try f.link("100/fd/3", to: "socket:[1001]")
        try f.link("100/fd/4", to: "socket:[1004]")
        try f.link("100/fd/5", to: "socket:[1010]")
        try f.link("100/fd/6", to: "/dev/null")
        try f.write("200/cmdline", "")
        try f.write("200/status", "Name:\tapp\nUid:\t1000\t1000\t1000\t1000\n")
        try f.write("200/cgroup", "0::/system.slice/docker-\(Self.container).scope\n")
        try f.link("200/fd/7", to: "socket:[1002]")
        try f.link("200/fd/8", to: "socket:[1005]")
        try f.write("300/fd", "not a directory")
        try f.writePasswd(
            "root:x:0:0:root:/root:/bin/bash\n# comment\nthis is not passwd\nalice:x:1000:1000::/home/alice:/bin/sh\n")
        return f
    }

    private func options(_ f: ProcFixture, all: Bool, seen: [Listener] = []) -> InventoryOptions {
        InventoryOptions(
            allNamespaces: all, procRoot: f.procRoot, etcPasswd: f.passwd, netnsDirectory: f.netns, seenBefore: seen)
    }

    @Test(arguments: [false, true])
    func listenersOwnersAndScopes(allNamespaces: Bool) throws {
        let f = try makeFixture()
        let report = ListenerInventory(options: options(f, all: allNamespaces)).collect()
        let ns = NamespaceRef(inode: 4_026_531_999)
        #expect(report.namespaces == [ns])
        #expect(
            report.listeners.map(\.endpoint) == [
                "tcp 0.0.0.0:22", "tcp [2001:db8::1]:443", "tcp [::1]:8080", "udp 0.0.0.0:53",
            ])
        #expect(report.listeners.map(\.bind) == [.wildcard, .address, .loopback, .wildcard])
        #expect(report.listeners.allSatisfy { $0.namespace == ns })

        let ssh = try #require(report.listeners.first { $0.port == 22 })
        #expect(ssh.inode == 1001)
        #expect(
            ssh.owners == [
                ProcessOwner(
                    pid: 100, executable: "/usr/sbin/sshd", commandLine: "/usr/sbin/sshd -D", user: "root", uid: 0,
                    unit: "ssh.service")
            ])
        let app = try #require(report.listeners.first { $0.port == 8080 })
        #expect(app.owners == [ProcessOwner(pid: 200, user: "alice", uid: 1000, container: Self.container)])
        let orphan = try #require(report.listeners.first { $0.port == 443 })
        #expect(orphan.owners.isEmpty)

        #expect(report.unprivileged)
        #expect(report.socketsWithoutOwner == 1)
        #expect(report.problems.contains { $0.message == "owners unknown for 1 socket (not root?)" })
        #expect(
            report.problems.contains {
                $0.code == .malformedLine && $0.file.hasSuffix("/net/tcp") && $0.line == 4
            })
        #expect(report.problems.contains { $0.code == .malformedLine && $0.file == f.passwd && $0.line == 3 })
        #expect(report.ephemeralUDP.map(\.port) == [40000])
        #expect(report.ephemeralUDP.first?.owners.map(\.pid) == [200])
    }

    @Test func anEphemeralUDPPortSeenBeforeIsAListener() throws {
        let f = try makeFixture()
        let first = ListenerInventory(options: options(f, all: true)).collect()
        #expect(!first.listeners.contains { $0.port == 40000 })
        let second = ListenerInventory(options: options(f, all: true, seen: first.ephemeralUDP)).collect()
        #expect(second.listeners.contains { $0.port == 40000 && $0.transport == .udp && $0.bind == .loopback })
        #expect(second.ephemeralUDP.isEmpty)
    }

    @Test func observationCarriesTheHostView() throws {
        let f = try makeFixture()
        let report = ListenerInventory(options: options(f, all: false)).collect()
        let ssh = try #require(report.listeners.first { $0.port == 22 })
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        let observation = ssh.observation(at: time, host: IPAddress("10.20.1.10"), vantage: "cde-db")
        #expect(observation.source == .host)
        #expect(observation.reason == "listening")
        #expect(observation.state == .open)
        #expect(observation.host == IPAddress("10.20.1.10"))
        #expect(observation.process == "/usr/sbin/sshd")
        #expect(observation.bind == .wildcard)
        #expect(observation.bindAddress == IPAddress("0.0.0.0"))
        #expect(observation.namespace == "net:[4026531999]")
        #expect(observation.user == "root")
        #expect(observation.unit == "ssh.service")
        #expect(observation.vantage == "cde-db")
    }

    @Test func aProcessThatExitedMidScanIsPartialAndCounted() throws {
        let f = try makeFixture()
        let reader = ProcessReader(procRoot: f.procRoot, passwd: PasswdFile(text: "", file: "passwd"))
        let gone = reader.owner(pid: 999)
        #expect(gone.exited)
        #expect(gone.owner == ProcessOwner(pid: 999))
        let present = reader.owner(pid: 200)  // no exe link, but the process is there
        #expect(!present.exited)
        #expect(present.owner.uid == 1000)
        let ownership = SocketOwnership.scan(
            procRoot: f.procRoot, pids: [100, 999],
            wanted: [
                Listener(
                    transport: .tcp, address: IPAddress(ipv4: 0), port: 22, namespace: NamespaceRef(inode: 1),
                    inode: 1001)
            ])
        #expect(ownership.holders[1001] == [100])
        #expect(ownership.unreadableDirectories == 0)
        #expect(ownership.problems(exited: 2).map(\.code) == [.processExited])
    }

    @Test func missingProcRootIsAProblemNotACrash() {
        let report = ListenerInventory(
            options: InventoryOptions(
                allNamespaces: true, procRoot: "/nonexistent/proc", etcPasswd: "/nonexistent/passwd")
        ).collect()
        #expect(report.listeners.isEmpty)
        #expect(report.problems.contains { $0.code == .unreadableFile && $0.file == "/nonexistent/proc" })
        #expect(report.problems.contains { $0.code == .unreadableFile && $0.file == "/nonexistent/passwd" })
    }

    @Test func snapshotsRoundTripThroughJSON() throws {
        let f = try makeFixture()
        let report = ListenerInventory(options: options(f, all: true)).collect()
        let snapshot = ListenerSnapshot(
            time: Date(timeIntervalSince1970: 1_800_000_000), host: "db1", listeners: report.listeners)
        let data = try JSONEncoder().encode(snapshot)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"time\":\"2027-01-15T08:00:00Z\""))
        let decoded = try JSONDecoder().decode(ListenerSnapshot.self, from: data)
        #expect(decoded == snapshot)
        #expect(InventoryDrift.compare(previous: snapshot, current: decoded).isEmpty)
    }
}
