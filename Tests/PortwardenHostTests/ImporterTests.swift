import Foundation
import PortwardenCore
import Testing

@testable import PortwardenHost

@Suite("ss and osquery importers")
struct ImporterTests {
    static let ssOutput = """
        udp UNCONN 0      0         127.0.0.1:323   0.0.0.0:* users:(("chronyd",pid=612,fd=5))
        tcp LISTEN 0      511         0.0.0.0:80    0.0.0.0:* users:(("nginx",pid=1204,fd=6),("nginx",pid=1203,fd=6))
        tcp LISTEN 0      128      0.0.0.0%lo:8125  0.0.0.0:* users:(("agent",pid=977,fd=7))
        tcp LISTEN 0      244            [::]:5432     [::]:* users:(("postgres",pid=801,fd=7))
        tcp LISTEN 0      128               *:22          *:* users:(("sshd",pid=655,fd=3))
        tcp LISTEN 0      511           [::1]:6379     [::]:* users:(("redis-server",pid=733,fd=8))
        udp UNCONN 0      0     [fe80::1]%eth0:547     [::]:* users:(("my (odd) \\"daemon\\"",pid=12,fd=3))
        tcp LISTEN 0      128      10.1.2.3:9000    0.0.0.0:*
        udp UNCONN 0      0         0.0.0.0:41234   0.0.0.0:* users:(("dig",pid=99,fd=3))
        tcp LISTEN 0      128      10.1.2.3:notaport    0.0.0.0:*
        sctp LISTEN 0 128 10.1.2.3:9 0.0.0.0:*
        tcp LISTEN 0 128 10.1.2.3:9 0.0.0.0:* users:((broken
        """

    @Test func ssWithTheNetidColumn() throws {
        let result = SSListenerImporter().parse(Self.ssOutput, file: "ss.txt")
        #expect(
            result.listeners.map(\.endpoint) == [
                "udp 127.0.0.1:323", "tcp 0.0.0.0:80", "tcp 0.0.0.0:8125", "tcp [::]:5432", "tcp [::]:22",
                "tcp [::1]:6379",
                "udp [fe80::1]:547", "tcp 10.1.2.3:9000",
            ])
        #expect(
            result.listeners.map(\.bind) == [
                .loopback, .wildcard, .loopback, .wildcard, .wildcard, .loopback, .address, .address,
            ])
        #expect(result.listeners[1].owners.map(\.pid) == [1204, 1203])
        #expect(result.listeners[1].owners.map(\.executable) == ["nginx", "nginx"])
        #expect(result.listeners[2].device == "lo")
        #expect(result.listeners[6].device == "eth0")
        #expect(result.listeners[6].owners.first?.executable == "my (odd) \\\"daemon\\\"")
        #expect(result.listeners[7].owners.isEmpty)
        #expect(result.skippedEphemeral == 1)
        #expect(result.problems.map(\.line) == [10, 11, 12])
        #expect(result.problems.allSatisfy { $0.file == "ss.txt" && $0.code == .malformedLine })
    }

    /// Files written with Windows line endings (CRLF) read line by line, as with LF: Swift holds
    /// `"\r\n"` as one character, so splitting at `"\n"` alone read such a file as one broken line.
    @Test func crlfLineEndingsReadLineByLine() {
        let ss = SSListenerImporter().parse(Self.ssOutput.replacingOccurrences(of: "\n", with: "\r\n"), file: "ss.txt")
        let reference = SSListenerImporter().parse(Self.ssOutput, file: "ss.txt")
        #expect(ss.listeners.map(\.endpoint) == reference.listeners.map(\.endpoint))
        #expect(ss.listeners.count == 8)
        #expect(ss.problems.map(\.line) == [10, 11, 12])
        let crlf = Self.osqueryEvents.replacingOccurrences(of: "\n", with: "\r\n")
        let osquery = OsqueryListenerImporter().parse(crlf, file: "osqueryd.results.log")
        let expected = OsqueryListenerImporter().parse(Self.osqueryEvents, file: "osqueryd.results.log")
        #expect(Set(osquery.hosts["db1"]?.map(\.endpoint) ?? []) == Set(expected.hosts["db1"]?.map(\.endpoint) ?? []))
        #expect(osquery.hosts["db1"]?.count == 3)
        #expect(osquery.problems.map(\.line) == [7, 8])
    }

    @Test func ssWithoutTheNetidColumn() {
        let text = """
            LISTEN 0      4096   127.0.0.53%lo:53      0.0.0.0:* users:(("systemd-resolve",pid=500,fd=14))
            UNCONN 0      0            0.0.0.0:68      0.0.0.0:*
            """
        let result = SSListenerImporter().parse(text)
        #expect(result.problems.isEmpty)
        #expect(result.listeners.map(\.endpoint) == ["tcp 127.0.0.53:53", "udp 0.0.0.0:68"])
        #expect(result.listeners.map(\.bind) == [.loopback, .wildcard])
    }

    @Test func ssImportsAsObservations() throws {
        let result = SSListenerImporter(namespace: NamespaceRef(inode: 1, name: "blue")).parse(Self.ssOutput)
        let time = Date(timeIntervalSince1970: 0)
        let observation = try #require(result.listeners.first).observation(
            at: time, host: IPAddress("10.0.0.9"), vantage: nil, source: .import)
        #expect(observation.source == .import)
        #expect(observation.process == "chronyd")
        #expect(observation.namespace == "blue")
        #expect(observation.port == 323)
    }

    static let osqueryEvents = """
        {"name":"pack_pw_listening","hostIdentifier":"db1","calendarTime":"Sun Nov 29 10:00:00 2026 UTC","unixTime":1795946400,"epoch":0,"counter":0,"numerics":false,"decorations":{},"columns":{"pid":"801","port":"5432","protocol":"6","family":"2","address":"0.0.0.0","net_namespace":"4026531840","fd":"7","socket":"20001","path":"","name":"postgres"},"action":"added"}
        {"name":"pack_pw_listening","hostIdentifier":"db1","calendarTime":"Sun Nov 29 10:00:00 2026 UTC","unixTime":1795946400,"epoch":0,"counter":0,"numerics":false,"decorations":{},"columns":{"pid":"655","port":"22","protocol":"6","family":"10","address":"::","net_namespace":"4026531840","fd":"3","socket":"20002","path":""},"action":"added"}
        {"name":"pack_pw_listening","hostIdentifier":"db1","calendarTime":"Sun Nov 29 10:00:00 2026 UTC","unixTime":1795946400,"epoch":0,"counter":0,"numerics":false,"decorations":{},"columns":{"pid":"-1","port":"0","protocol":"0","family":"1","address":"","net_namespace":"0","fd":"-1","socket":"1","path":"/run/x.sock"},"action":"added"}
        {"name":"pack_pw_listening","hostIdentifier":"db1","unixTime":1795946460,"epoch":0,"counter":1,"numerics":true,"columns":{"pid":801,"port":5432,"protocol":6,"family":2,"address":"0.0.0.0","net_namespace":4026531840,"socket":20001,"name":"postgres"},"action":"removed"}
        {"name":"pack_pw_listening","hostIdentifier":"db1","unixTime":1795946460,"epoch":0,"counter":1,"numerics":true,"columns":{"pid":9001,"port":5432,"protocol":6,"family":2,"address":"0.0.0.0","net_namespace":4026531840,"socket":20099,"name":"postgres"},"action":"added"}
        {"name":"pack_pw_listening","hostIdentifier":"db1","unixTime":1795946520,"epoch":0,"counter":2,"columns":{"pid":"1500","port":"23","protocol":"6","family":"2","address":"10.20.1.12","net_namespace":"4026531840","socket":"20100","name":"telnetd"},"action":"added"}
        {not json
        {"name":"pack_pw_listening","hostIdentifier":"db1","counter":3,"columns":{"port":"80"},"action":"added"}
        """

    @Test func osqueryEventLinesBaselineAndRestart() throws {
        let result = OsqueryListenerImporter().parse(Self.osqueryEvents, file: "osqueryd.results.log")
        let db1 = try #require(result.hosts["db1"])
        #expect(Set(db1.map(\.endpoint)) == ["tcp [::]:22", "tcp 10.20.1.12:23", "tcp 0.0.0.0:5432"])
        #expect(db1.first { $0.port == 5432 }?.owners.map(\.pid) == [9001])
        #expect(db1.first { $0.port == 23 }?.bind == .address)
        // Counter 0 is the baseline; the postgres restart (counter 1) is no change; telnet is.
        let changes = try #require(result.changes["db1"])
        #expect(changes.map(\.kind) == [.opened])
        #expect(changes.first?.port.port == 23)
        #expect(result.problems.map(\.line) == [7, 8])
    }

    @Test func osqueryBatchSnapshotAndECS() throws {
        let text = """
            {"name":"lp","hostname":"web1","counter":"0","diffResults":{"added":[{"pid":"10","port":"443","protocol":"6","family":"2","address":"0.0.0.0","socket":"1"},{"pid":"11","port":"53","protocol":"17","family":"2","address":"127.0.0.1","socket":"2"},{"pid":"12","port":"50000","protocol":"17","family":"2","address":"0.0.0.0","socket":"3"}],"removed":[]}}
            {"name":"lp","hostname":"web1","counter":"1","diffResults":{"added":[],"removed":[{"pid":"11","port":"53","protocol":"17","family":"2","address":"127.0.0.1","socket":"2"}]}}
            {"osquery":{"result":{"name":"lp","action":"snapshot","host_identifier":"web2","unix_time":1795946400,"calendar_time":"x","snapshot":[{"pid":"7","port":"8080","protocol":"6","family":"10","address":"::1","socket":"5","path":"/usr/bin/app","cmdline":"app --serve","uid":"1000"}]}}}
            {"name":"lp","hostIdentifier":"web2","action":"snapshot","snapshot":[{"pid":"7","port":"8080","protocol":"6","family":"10","address":"::","socket":"5","path":"/usr/bin/app"}]}
            """
        let result = OsqueryListenerImporter().parse(text)
        #expect(result.problems.isEmpty)
        #expect(result.hosts["web1"]?.map(\.endpoint) == ["tcp 0.0.0.0:443"])
        #expect(result.skippedEphemeral == 1)
        #expect(result.changes["web1"]?.map(\.kind) == [.closed])
        let app = try #require(result.hosts["web2"]?.first)
        #expect(app.owners.first?.executable == "/usr/bin/app")
        #expect(result.changes["web2"]?.map(\.kind) == [.scopeChanged])
    }
}
