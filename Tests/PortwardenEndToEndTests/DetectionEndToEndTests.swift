import Foundation
import PortwardenTestSupport
import Testing

/// `audit` with service detection against protocol speakers in a namespace: the handshake, not the
/// port number, decides whether an insecure-service finding is confirmed, probable or dropped.
@Suite("portwarden audit with service detection, end to end", .serialized, .needsNetworkNamespaces)
struct DetectionEndToEndTests {
    static let policy = """
        version: 1
        organization: Detection test
        review:
          every: 6 months
          last: 2026-11-01
        zones:
          - id: vault
            kind: cde
            prefixes: [127.0.0.1/32]
            owner: payments
        """

    /// Speaks first with a fixed greeting on each port, then closes.
    static let greeters = """
        import socket, select, sys
        greetings = {23: b'\\xff\\xfb\\x01\\xff\\xfb\\x03\\xff\\xfd\\x18login: ', 2323: b'SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n'}
        servers = []
        for port in greetings:
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('127.0.0.1', port)); s.listen(16); servers.append(s)
        while True:
            for s in select.select(servers, [], [])[0]:
                c, _ = s.accept()
                try:
                    c.sendall(greetings[s.getsockname()[1]])
                    c.settimeout(2); c.recv(64)
                except OSError:
                    pass
                c.close()
        """

    /// Starts `greeters` in the namespace and waits until both ports listen.
    static func startGreeters(in namespace: NetworkNamespace) throws -> Process {
        let server = try namespace.spawn(["python3", "-c", Self.greeters])
        do {
            for _ in 0..<100 {
                let listening = try namespace.run(["ss", "-H", "-ltn"]).stdout
                if listening.contains(":23 ") && listening.contains(":2323 ") { break }
                usleep(50_000)
            }
        } catch {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            throw error
        }
        return server
    }

    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func telnetIsConfirmedAndSSHOnATelnetPortIsNot() throws {
        let namespace = try NetworkNamespace(prefix: "detect")
        defer { namespace.remove() }
        let server = try Self.startGreeters(in: namespace)
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let scratch = try ScratchDirectory()
        let policyPath = try scratch.write("policy.yaml", Self.policy)
        let result = try Binary.run(
            in: namespace,
            ["audit", "--policy", policyPath, "--ports", "1-3000", "--report", scratch.path("r"), "--profile", "fast"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: scratch.path("r") + "/latest/findings.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = try #require(document["findings"] as? [[String: Any]])
        let telnet = findings.filter { ($0["subject"] as? String) == "INS-TELNET" }
        #expect(telnet.compactMap { $0["port"] as? Int } == [23], "2323 speaks SSH: not-matched, no finding")
        let confirmed = try #require(telnet.first)
        #expect(confirmed["severity"] as? String == "critical", "confirmed telnet in the CDE is critical")
        #expect(!((confirmed["message"] as? String) ?? "").hasPrefix("Probable"))
        let unauthorized = findings.filter { $0["rule"] as? String == "PW-UNAUTHORIZED-PORT" }
        #expect(unauthorized.compactMap { $0["port"] as? Int }.sorted() == [23, 2323])
    }

    /// `scan --detect` text output says what the handshakes proved, not only a service name.
    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func scanTextOutputShowsWhatDetectionProved() throws {
        let namespace = try NetworkNamespace(prefix: "detect")
        defer { namespace.remove() }
        let server = try Self.startGreeters(in: namespace)
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let result = try Binary.run(in: namespace, ["scan", "127.0.0.1", "-p", "23,2323", "--detect", "--open"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let ssh = try #require(lines.firstIndex { $0.hasPrefix("  2323/tcp") }, "\(result.stdout)")
        #expect(lines[ssh].hasSuffix("ssh OpenSSH 9.2p1"), "the product and version from the banner")
        #expect(lines.dropFirst(ssh + 1).prefix { $0.hasPrefix("      ") }.contains("      INS-TELNET: not-matched"))
        let telnet = try #require(lines.firstIndex { $0.hasPrefix("  23/tcp") }, "\(result.stdout)")
        #expect(
            lines.dropFirst(telnet + 1).prefix { $0.hasPrefix("      ") }.contains {
                $0.hasPrefix("      INS-TELNET: confirmed")
            })
    }
}
