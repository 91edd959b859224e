import Foundation
import PortwardenTestSupport
import Testing

/// `portwarden scan` with the built binary inside a namespace: connect and raw SYN engines agree,
/// and every output format carries the same open ports.
@Suite("portwarden scan, end to end", .serialized, .needsNetworkNamespaces)
struct ScanEndToEndTests {
    static func openPorts(_ jsonLines: String) throws -> [Int] {
        try jsonLines.split(separator: "\n").compactMap { line -> Int? in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["state"] as? String == "open" ? object["port"] as? Int : nil
        }.sorted()
    }

    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func connectAndSynScansAgreeInEveryFormat() throws {
        let namespace = try NetworkNamespace(prefix: "scan")
        defer { namespace.remove() }
        let listeners = try Listeners(in: namespace, address: "127.0.0.1", ports: [22022, 22080, 22999])
        defer { _ = listeners }
        let connect = try Binary.run(in: namespace, ["scan", "127.0.0.1", "-p", "22000-23000", "--format", "json"])
        #expect(connect.status == 0, "\(connect.stderr)")
        #expect(try Self.openPorts(connect.stdout) == [22022, 22080, 22999])
        #expect(connect.stdout.split(separator: "\n").count == 1001, "closed ports are kept as evidence")

        let syn = try Binary.run(
            in: namespace, ["scan", "127.0.0.1", "-p", "22000-23000", "--syn", "--format", "json", "--open"])
        #expect(syn.status == 0, "\(syn.stderr)")
        #expect(try Self.openPorts(syn.stdout) == [22022, 22080, 22999])
        #expect(!syn.stderr.contains("using the connect scan instead"), "as root the SYN engine runs: \(syn.stderr)")

        let xml = try Binary.run(in: namespace, ["scan", "127.0.0.1", "-p", "22000-23000", "--format", "xml"])
        #expect(xml.status == 0)
        #expect(xml.stdout.contains("<nmaprun"))
        for port in [22022, 22080, 22999] { #expect(xml.stdout.contains("portid=\"\(port)\"")) }
        #expect(xml.stdout.contains("<extraports state=\"closed\" count=\"998\""))

        let text = try Binary.run(in: namespace, ["scan", "127.0.0.1", "-p", "22000-23000"])
        #expect(text.stdout.contains("22080/tcp"))
        #expect(text.stdout.contains("3 open"))
    }
}

/// `portwarden scan --udp` with the built binary: open (a reply), closed (ICMP port unreachable).
@Suite("portwarden scan --udp, end to end", .serialized, .needsNetworkNamespaces)
struct UDPScanEndToEndTests {
    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func udpReplyIsOpenAndPortUnreachableIsClosed() throws {
        let namespace = try NetworkNamespace(prefix: "udp")
        defer { namespace.remove() }
        let echo = try namespace.spawn([
            "python3", "-c",
            """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('127.0.0.1', 25053))
            while True:
                data, peer = s.recvfrom(2048)
                s.sendto(data or b'pong', peer)
            """,
        ])
        defer {
            kill(echo.processIdentifier, SIGKILL)
            echo.waitUntilExit()
        }
        for _ in 0..<100 where !(try namespace.run(["ss", "-H", "-lun"]).stdout.contains(":25053 ")) {
            usleep(50_000)
        }
        let result = try Binary.run(
            in: namespace, ["scan", "127.0.0.1", "--udp", "-p", "25053,25054", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let states = try result.stdout.split(separator: "\n").reduce(into: [Int: String]()) { states, line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["transport"] as? String == "udp")
            states[object["port"] as? Int ?? 0] = "\(object["state"] ?? "") \(object["reason"] ?? "")"
        }
        #expect(states[25053] == "open udp-response")
        #expect(states[25054] == "closed port-unreach")
    }
}

/// `audit --syn --udp`: the raw SYN engine and the UDP pass feed the same evaluation.
@Suite("portwarden audit --syn --udp, end to end", .serialized, .needsNetworkNamespaces)
struct AuditEnginesEndToEndTests {
    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func synAndUDPObservationsAreJudged() throws {
        let namespace = try NetworkNamespace(prefix: "engines")
        defer { namespace.remove() }
        let tcp = try Listeners(in: namespace, address: "127.0.0.1", ports: [20080, 20777])
        let dns = try namespace.spawn([
            "python3", "-c",
            """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('127.0.0.1', 53))
            while True:
                data, peer = s.recvfrom(2048)
                s.sendto(data, peer)
            """,
        ])
        defer {
            kill(dns.processIdentifier, SIGKILL)
            dns.waitUntilExit()
            _ = tcp
        }
        for _ in 0..<100 where !(try namespace.run(["ss", "-H", "-lun"]).stdout.contains(":53 ")) {
            usleep(50_000)
        }
        let scratch = try ScratchDirectory()
        let policyPath = try scratch.write("policy.yaml", AuditEndToEndTests.policy)
        let result = try Binary.run(
            in: namespace,
            [
                "audit", "--policy", policyPath, "--ports", "20000-21000", "--syn", "--udp", "--report",
                scratch.path("r"), "--no-service-detection",
            ])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.contains("using the connect scan instead"), "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: scratch.path("r") + "/latest/findings.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = try #require(document["findings"] as? [[String: Any]])
        let unauthorized = findings.filter { $0["rule"] as? String == "PW-UNAUTHORIZED-PORT" }
            .map { "\($0["transport"] ?? "")/\($0["port"] ?? "")" }.sorted()
        #expect(unauthorized == ["tcp/20777", "udp/53"])
    }
}
