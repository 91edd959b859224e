import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// Runs Debian's nmap inside a network namespace this test creates (never against the host's
/// loopback) and checks that the importer reads what nmap itself wrote.
@Suite("nmap's own XML from a test namespace", .serialized, .needsNetworkNamespaces)
struct NmapLiveFixtureTests {
    static let unavailableReason: String? = {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        if ExternalTool.nmap == nil { return "nmap is not installed (Debian package nmap)" }
        if ExternalTool.python3 == nil { return "python3 is not installed" }
        if ExternalTool.path("nft") == nil { return "nft is not installed (Debian package nftables)" }
        return nil
    }()

    static let listener = """
        import socket, time
        socks = []
        for port in (8080, 9090):
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port)); s.listen(16); socks.append(s)
        while True: time.sleep(3600)
        """

    @Test(
        "ports, states, reasons and extraports counts survive import",
        .enabled(if: unavailableReason == nil, Comment(rawValue: unavailableReason ?? "")))
    func nmapInNamespace() throws {
        let namespace = try NetworkNamespace(prefix: "fmt")
        defer { namespace.remove() }
        // Ports 150-179 silently dropped inside the namespace: nmap reports them filtered.
        try namespace.run(
            "nft",
            "add table inet pwfmt { chain input { type filter hook input priority 0; "
                + "tcp dport 150-179 drop; }; }")
        let listener = try namespace.spawn(["python3", "-c", Self.listener])
        defer {
            // SIGKILL, not terminate(): children spawned from test threads inherit a mask that
            // blocks SIGTERM, so terminate() would leave the listener (and this test) hanging.
            kill(listener.processIdentifier, SIGKILL)
            listener.waitUntilExit()
        }
        var listening = false
        for _ in 0..<200 where !listening {
            let sockets = try namespace.run(["ss", "-H", "-ltn"], allowFailure: true).stdout
            listening = sockets.contains("127.0.0.1:8080") && sockets.contains("127.0.0.1:9090")
            if !listening { usleep(25_000) }
        }
        try #require(listening, "the listeners never came up in \(namespace.name)")
        let scan = try namespace.run([
            "nmap", "-sT", "-Pn", "-n", "--reason", "--max-retries", "1", "-p", "1-200,8080,9090", "127.0.0.1",
            "-oX", "-",
        ])
        let xml = scan.stdout
        #expect(xml.contains("<extraports state=\"closed\" count=\"170\">"))
        #expect(xml.contains("<extraports state=\"filtered\" count=\"30\">"))
        let result = NmapXMLImporter.parse(Array(xml.utf8), source: "nmap-live.xml", vantage: "lab")
        #expect(result.problems == [], "\(result.problems)")
        #expect(result.hosts == 1)
        #expect(result.observations.count == 202)
        #expect(result.count("127.0.0.1", .closed) == 170)
        #expect(result.count("127.0.0.1", .filtered) == 30)
        #expect(result.count("127.0.0.1", .open) == 2)
        #expect(result.observation("127.0.0.1", .tcp, 8080)?.reason == "syn-ack")
        #expect(result.observation("127.0.0.1", .tcp, 1)?.reason == "conn-refused")
        #expect(result.observation("127.0.0.1", .tcp, 160)?.state == .filtered)
        #expect(result.observation("127.0.0.1", .tcp, 160)?.reason == "no-response")
        #expect(result.observations.allSatisfy { $0.vantage == "lab" && $0.source == .import })
    }
}
