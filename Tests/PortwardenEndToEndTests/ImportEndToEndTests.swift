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
}
