import Foundation
import PortwardenCore
import Testing

@testable import PortwardenHost

/// The files written by real tools in `../shared/fixtures/real` (see its SOURCES.md).
enum RealCaptures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/real")

    static var available: Bool { FileManager.default.fileExists(atPath: root.path) }

    static func names(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    static func text(_ folder: String, _ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(name), encoding: .utf8)
    }

    /// The ss lines that describe a TCP or UDP listener (`tcp LISTEN`, `udp UNCONN`), counted from
    /// the text without the importer.
    static func listenerLines(_ text: String) -> Int {
        text.split(separator: "\n").filter { line in
            let words = line.split(separator: " ", maxSplits: 2)
            return words.count >= 2 && ["tcp", "udp"].contains(words[0]) && ["LISTEN", "UNCONN"].contains(words[1])
        }.count
    }
}

@Suite(
    "real ss and osquery captures",
    .enabled(if: RealCaptures.available, "../shared/fixtures/real is not beside the package"))
struct RealCaptureImportTests {
    @Test("every ss file: one listener per LISTEN/UNCONN line, no problem except in the -a capture")
    func ssFiles() throws {
        let names = try RealCaptures.names(in: "ss")
        #expect(names.count >= 5)
        for name in names {
            let text = try RealCaptures.text("ss", name)
            let result = SSListenerImporter().parse(text, file: name)
            let lines = RealCaptures.listenerLines(text)
            if name == "jc-centos77-ss-a.out" {
                // `ss -a` without -n: service names for ports, ESTAB and UNIX sockets; out of scope.
                #expect(result.problems.count > 100, "\(name)")
                #expect(result.starIsIPv4, "\(name): old iproute2 writes the IPv4 wildcard as *")
                continue
            }
            #expect(result.problems == [], "\(name)")
            #expect(result.listeners.count + result.skippedEphemeral == lines, "\(name)")
            #expect(!result.starIsIPv4, "\(name)")
            #expect(result.listeners.allSatisfy { $0.owners.isEmpty || $0.primaryOwner?.executable != nil })
        }
    }

    @Test("ss -tulpen (Ubuntu 18.04): -e fields read; the derived -H -ltunp file gives the same sockets")
    func ssTulpen() throws {
        let full = SSListenerImporter().parse(try RealCaptures.text("ss", "jc-ubuntu1804-ss-tulpen.out"))
        let plain = SSListenerImporter().parse(try RealCaptures.text("ss", "derived-jc-ubuntu1804-H-ltunp.txt"))
        #expect(full.listeners.map(\.endpoint) == plain.listeners.map(\.endpoint))
        let avahi = try #require(full.listeners.first { $0.port == 5353 })
        #expect(avahi.inode == 25147)
        #expect(avahi.owners.first?.uid == 112)
        let dhcp = try #require(full.listeners.first { $0.port == 67 })
        #expect(dhcp.device == "virbr0")
        #expect(dhcp.bind == .wildcard)
        let observation = dhcp.observation(
            at: Date(timeIntervalSince1970: 0), host: IPAddress("10.0.0.9"), vantage: nil)
        #expect(observation.details == ["bind.device": "virbr0"])
        #expect(observation.source == .host)
    }

    @Test("ss with cgroup: and v6only: fields: * with v6only:0 is the IPv6 wildcard, the unit comes from cgroup")
    func ssWide() throws {
        let result = SSListenerImporter().parse(try RealCaptures.text("ss", "jc-generic-ss-wide.out"))
        let xinetd = try #require(result.listeners.first { $0.port == 6556 })
        #expect(xinetd.address == IPAddress("::"))
        #expect(xinetd.owners.first?.unit == "xinetd.service")
        #expect(result.listeners.filter { $0.transport == .tcp }.count == 29)
    }

    @Test("osquery: another query's counter 0 leaves the listeners alone; rows of other queries are counted")
    func osqueryOtherQueryBaseline() throws {
        let result = OsqueryListenerImporter().parse(
            try RealCaptures.text("osquery", "derived-multiquery-baseline-reset.log"), file: "mq.log")
        #expect(result.problems == [])
        let jaguar = try #require(result.imported["jaguar.local"])
        #expect(jaguar.map(\.listener.endpoint) == ["tcp 0.0.0.0:22"])
        #expect(jaguar.first?.time == Date(timeIntervalSince1970: 1_536_682_461))
        #expect(jaguar.first?.line == 1)
        #expect(result.otherQueryRows == ["system_info": 1])
        #expect(result.listeningRows == 1)
    }

    @Test("every osquery file: listeners, times and skipped rows as the log says")
    func osqueryFiles() throws {
        let names = try RealCaptures.names(in: "osquery")
        #expect(names.count >= 4)
        for name in names {
            let result = OsqueryListenerImporter().parse(try RealCaptures.text("osquery", name), file: name)
            #expect(result.problems == [], "\(name)")
        }
        let hoth = OsqueryListenerImporter().parse(try RealCaptures.text("osquery", "botsv3-hoth-reconstructed.log"))
        #expect(hoth.imported["hoth"]?.map(\.listener.endpoint) == ["tcp 0.0.0.0:1337"])
        #expect(hoth.imported["hoth"]?.first?.time == Date(timeIntervalSince1970: 1_534_766_134))
        #expect(hoth.imported["hoth"]?.first?.listener.owners.first?.pid == 14356)

        let snapshot = OsqueryListenerImporter().parse(
            try RealCaptures.text("osquery", "derived-snapshot-batch-ipv6.log"))
        let host = try #require(snapshot.imported["10.20.1.10"])
        #expect(
            host.map(\.listener.endpoint) == ["tcp 0.0.0.0:22", "tcp [::]:22", "tcp [fe80::1c2a:9bff:fe3e:4f11]:6379"])
        #expect(
            host.map(\.time) == [1_462_228_052, 1_462_228_052, 1_462_228_112].map(Date.init(timeIntervalSince1970:)))
        #expect(snapshot.skippedEphemeral == 1)
        #expect(snapshot.changes["10.20.1.10"]?.map(\.kind) == [.opened, .closed])

        let wazuh = try RealCaptures.text("osquery", "wazuhlab-osqueryd.results.log")
        let other = OsqueryListenerImporter().parse(wazuh)
        #expect(other.listeningRows == 0)
        #expect(other.imported.isEmpty)
        #expect(other.otherQueryRows.values.reduce(0, +) == wazuh.split(separator: "\n").count)
        #expect(other.otherQueryRows["system_info"] == 5)
    }
}

@Suite("osquery and ss importers: shapes of real files")
struct CaptureShapeTests {
    @Test("osquery baselines are per query and per host")
    func baselinesPerQueryAndHost() throws {
        let text = """
            {"name":"lp","hostIdentifier":"a","unixTime":100,"counter":0,"columns":{"port":"22","protocol":"6","family":"2","address":"0.0.0.0","pid":"1"},"action":"added"}
            {"name":"lp2","hostIdentifier":"a","unixTime":110,"counter":0,"columns":{"port":"80","protocol":"6","family":"2","address":"0.0.0.0","pid":"2"},"action":"added"}
            {"name":"lp","hostIdentifier":"b","unixTime":120,"counter":0,"columns":{"port":"443","protocol":"6","family":"2","address":"0.0.0.0","pid":"3"},"action":"added"}
            {"name":"lp","hostIdentifier":"a","unixTime":130,"counter":1,"columns":{"port":"23","protocol":"6","family":"2","address":"0.0.0.0","pid":"4"},"action":"added"}
            {"name":"lp2","hostIdentifier":"a","unixTime":140,"counter":0,"columns":{"port":"8080","protocol":"6","family":"2","address":"0.0.0.0","pid":"5"},"action":"added"}
            """
        let result = OsqueryListenerImporter().parse(text)
        #expect(result.problems == [])
        // lp2's new baseline replaces lp2's 80 only; lp's 22 and 23 stay; host b is untouched.
        #expect(result.hosts["a"]?.map(\.port) == [22, 23, 8080])
        #expect(result.hosts["b"]?.map(\.port) == [443])
        #expect(result.changes["a"]?.map(\.kind) == [.opened])
        #expect(result.imported["a"]?.map(\.line) == [1, 4, 5])
        #expect(result.imported["a"]?.map(\.time) == [100, 130, 140].map(Date.init(timeIntervalSince1970:)))
    }

    @Test("osquery: calendarTime dates a line without unixTime")
    func calendarTime() {
        #expect(OsqueryLine.calendarDate("Tue Nov  5 06:08:26 2018 UTC") == Date(timeIntervalSince1970: 1_541_398_106))
        #expect(OsqueryLine.calendarDate("Mon May  2 22:27:32 2016 UTC") == Date(timeIntervalSince1970: 1_462_228_052))
        #expect(OsqueryLine.calendarDate("Feb 30 2016") == nil)
    }

    @Test("old iproute2: * is the IPv4 wildcard and ::: the IPv6 one")
    func oldIproute2() {
        let text = """
            State      Recv-Q Send-Q Local Address:Port               Peer Address:Port
            LISTEN     0      128          *:22                       *:*                   users:(("sshd",pid=1100,fd=3))
            LISTEN     0      128         :::22                      :::*                   users:(("sshd",pid=1100,fd=4))
            LISTEN     0      100    127.0.0.1:25                       *:*
            """
        let result = SSListenerImporter().parse(text)
        #expect(result.problems == [])
        #expect(result.starIsIPv4)
        #expect(result.listeners.map(\.endpoint) == ["tcp 0.0.0.0:22", "tcp [::]:22", "tcp 127.0.0.1:25"])
        #expect(result.lines == [2, 3, 4])
    }

    @Test("ss -e: fields after users:(…) are read, an unknown word is still an error")
    func extendedFields() {
        let text = """
            tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3)) uid:0 ino:1234 sk:a cgroup:/system.slice/ssh.service <->
            tcp LISTEN 0 128 *:80 *:* ino:99 sk:b v6only:0 <->
            tcp LISTEN 0 128 0.0.0.0:81 0.0.0.0:* users:(("a) (b",pid=7,fd=3)) timer:(keepalive,1min,0) <->
            tcp LISTEN 0 128 0.0.0.0:82 0.0.0.0:* users:(("x",pid=8,fd=3)) bogus
            """
        let result = SSListenerImporter().parse(text)
        #expect(result.listeners.map(\.endpoint) == ["tcp 0.0.0.0:22", "tcp [::]:80", "tcp 0.0.0.0:81"])
        #expect(result.listeners[0].owners.first?.unit == "ssh.service")
        #expect(result.listeners[0].owners.first?.uid == 0)
        #expect(result.listeners[0].inode == 1234)
        #expect(result.listeners[1].inode == 99 && result.listeners[1].owners.isEmpty)
        #expect(result.listeners[2].owners.first?.executable == "a) (b")
        #expect(result.problems.map(\.line) == [4])
        #expect(result.problems.first?.column == 64)
        #expect(result.problems.first?.description.hasPrefix("ss:4:64: error: \"bogus\"") == true)
    }
}
