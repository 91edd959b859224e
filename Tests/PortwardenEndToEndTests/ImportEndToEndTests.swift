import Foundation
import PortwardenTestSupport
import Testing

/// `portwarden import` as a user runs it: located errors, exit statuses, the vantage checks.
@Suite("import command", .runnable(unless: Binary.unavailableReason))
struct ImportEndToEndTests {
    static let nmap = """
        <?xml version="1.0"?>
        <nmaprun scanner="nmap" args="nmap -sS -p 22,80,443 10.0.0.5" start="1700000000" version="7.94">
        <scaninfo type="syn" protocol="tcp" numservices="3" services="22,80,443"/>
        <host starttime="1700000001" endtime="1700000009"><status state="up"/>
        <address addr="10.0.0.5" addrtype="ipv4"/>
        <ports>
        <port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/></port>
        <port protocol="tcp" portid="80"><state state="opened" reason="syn-ack"/></port>
        <port protocol="tcp" portid="443"><state state="closed" reason="reset"/></port>
        </ports>
        </host>
        </nmaprun>

        """

    static var policy: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/localhost.yaml").path
    }

    @Test("a bad record is a located error and exit 2; the other records are still written")
    func locatedErrorExitsTwo() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("scan.xml", Self.nmap)
        let result = try Binary.run(["import", "nmap", file, "--vantage", "corp"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):8:34: error: state=\"opened\" is not a port state"))
        #expect(result.stderr.contains("1 error; 2 observations imported from the rest"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("\"vantage\":\"corp\"") })
    }

    @Test("a network import without --vantage warns what it disables and succeeds")
    func missingVantageWarns() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("scan.xml", Self.nmap.replacingOccurrences(of: "opened", with: "open"))
        let result = try Binary.run(["import", "nmap", file])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: no --vantage"))
        #expect(result.stderr.contains("segmentation cannot be judged"))
        #expect(result.stdout.split(separator: "\n").count == 3)
    }

    @Test("--vantage that names no zone of --policy is an input error")
    func unknownVantage() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("scan.xml", Self.nmap)
        let result = try Binary.run(["import", "nmap", file, "--vantage", "nosuch", "--policy", Self.policy])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--vantage nosuch: the policy declares no such zone (zones: local)"))
        #expect(result.stdout.isEmpty)
        let known = try Binary.run(["import", "nmap", file, "--vantage", "local", "--policy", Self.policy])
        #expect(known.stderr.contains("no such zone") == false)
    }

    @Test("scan --vantage that names no zone of --policy stops before any probe", .needsNetworkNamespaces)
    func scanUnknownVantage() throws {
        let namespace = try NetworkNamespace(prefix: "imp")
        defer { namespace.remove() }
        let result = try Binary.run(
            in: namespace, ["scan", "127.0.0.1", "-p", "22", "--policy", Self.policy, "--vantage", "nosuch"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--vantage nosuch: the policy declares no such zone"))
        #expect(result.stdout.isEmpty)
    }

    static let ss = """
        Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
        tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=655,fd=3)) ino:1 sk:1 <->
        tcp   LISTEN 0      128        10.9.9.9:5432       0.0.0.0:*    users:(("postgres",pid=801,fd=7)) ino:2 sk:2 <->
        udp   UNCONN 0      0     0.0.0.0%virbr0:67        0.0.0.0:*    users:(("dnsmasq",pid=2783,fd=3)) ino:3 sk:3 <->
        tcp   LISTEN 0      4096     127.0.0.1:6379        0.0.0.0:*    users:(("redis",pid=733,fd=8)) ino:4 sk:4 <->

        """

    @Test("import ss --host: host evidence; a listener bound to another address stays on that address")
    func ssWithHost() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("ss.txt", Self.ss)
        let result = try Binary.run(["import", "ss", file, "--host", "10.0.0.1"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.contains("\"source\":\"host\"") })
        #expect(lines.filter { $0.contains("\"host\":\"10.0.0.1\"") }.count == 3)
        #expect(lines.contains { $0.contains("\"host\":\"10.9.9.9\"") && $0.contains("\"port\":5432") })
        #expect(lines.contains { $0.contains("\"port\":67") && $0.contains("\"bind.device\":\"virbr0\"") })
    }

    @Test("import ss without --host: unbound listeners are a located error naming --host; bound ones are kept")
    func ssWithoutHost() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("ss.txt", Self.ss)
        let result = try Binary.run(["import", "ss", file])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "\(file):2: error: 3 listeners are bound to a wildcard or loopback address (first: tcp 0.0.0.0:22)"))
        #expect(result.stderr.contains("--host ADDRESS"))
        #expect(!result.stdout.contains("0.0.0.0\",\"transport"))
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stdout.contains("\"host\":\"10.9.9.9\""))
    }

    @Test("import osquery: host evidence dated by unixTime; other queries summed up in one warning")
    func osquery() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write(
            "osquery.log",
            """
            {"name":"lp","hostIdentifier":"10.0.0.2","unixTime":1536682461,"counter":3,"columns":{"address":"0.0.0.0","family":"2","pid":"75","port":"22","protocol":"6","socket":"1"},"action":"added"}
            {"name":"system_info","hostIdentifier":"10.0.0.2","unixTime":1536682521,"counter":0,"columns":{"hostname":"x"},"action":"added"}
            {"name":"system_info","hostIdentifier":"10.0.0.2","unixTime":1536682522,"counter":1,"columns":{"hostname":"y"},"action":"added"}

            """)
        let result = try Binary.run(["import", "osquery", file])
        #expect(result.status == 0)
        #expect(
            result.stderr == "\(file): warning: 2 rows of queries other than listening_ports skipped (system_info: 2)\n"
        )
        #expect(result.stdout.contains("\"time\":\"2018-09-11T16:14:21Z\""))
        #expect(result.stdout.contains("\"host\":\"10.0.0.2\""))
        #expect(result.stdout.contains("\"source\":\"host\""))
    }

    @Test("an imported ss listener is judged as host evidence, like inventory, not as network reachability")
    func ssJudgedAsHostEvidence() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write(
            "policy.yaml",
            """
            version: 1
            organization: Import test
            review:
              every: 6 months
              last: 2026-11-01
            zones:
              - id: cde
                kind: cde
                prefixes: [10.0.0.0/24]
                owner: payments

            """)
        let capture = try scratch.write(
            "ss.txt", "tcp LISTEN 0 128 0.0.0.0:5432 0.0.0.0:* users:((\"postgres\",pid=801,fd=7))\n")
        let imported = try Binary.run(
            ["import", "ss", capture, "--host", "10.0.0.1", "-o", scratch.path("host.jsonl")])
        #expect(imported.status == 0, "\(imported.stderr)")
        let check = try Binary.run([
            "check", "--policy", policy, "--observations", scratch.path("host.jsonl"), "--format", "json",
            "--fail-on", "critical",
        ])
        #expect(check.status == 0, "host evidence alone is not critical: \(check.stdout)\(check.stderr)")
        let finding = try #require(check.stdout.split(separator: "\n").first { $0.contains("PW-UNAUTHORIZED-PORT") })
        #expect(finding.contains("listener inventory reports it"))
        #expect(!finding.contains("Reached from"))
        #expect(!finding.contains("\"1.3.1\""))
    }
}
