import Foundation
import PortwardenTestSupport
import Testing

/// Real netfilter logs: nftables rules with `log prefix` in a namespace, real traffic from another
/// namespace, the kernel's own log lines read back with dmesg and judged by `portwarden ingest`.
@Suite(
    "netfilter LOG lines from the kernel, end to end",
    .enabled(if: NetworkNamespace.unavailableReason == nil, "\(NetworkNamespace.unavailableReason ?? "")"),
    .enabled(
        if: Shell.which("nft") != nil && Shell.which("socat") != nil && Shell.which("dmesg") != nil,
        "needs nft, socat and dmesg"),
    .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"))
struct NetfilterLogEndToEndTests {
    @Test("an accepted connection from a zone the allow-from does not permit is a critical alert; drops are denies")
    func kernelLinesBecomeAlerts() throws {
        let kernelLog = KernelLogLock.hold()
        defer { kernelLog.release() }
        let token = "t\(String(UInt32.random(in: 0...0xFFFFFF), radix: 36))"
        let client = try NetworkNamespace(prefix: "nflc")
        defer { client.remove() }
        let server = try client.addPeer(
            prefix: "nfls", localAddress: "10.77.0.1", peerAddress: "10.77.0.2", prefixLength: 24)
        defer { server.remove() }
        try server.run(
            ["nft", "-f", "-"],
            input: """
                table inet pw {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    tcp dport 5432 ct state new log prefix "PW-ACCEPT \(token) " accept
                    tcp dport 23 log prefix "PW-DROP \(token) " drop
                  }
                }
                """)
        // The kernel writes LOG lines from other namespaces only with this switch; put it back after.
        let original = try Shell.run("sysctl", "-n", "net.netfilter.nf_log_all_netns").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try Shell.run("sysctl", "-qw", "net.netfilter.nf_log_all_netns=1")
        defer {
            _ = try? Shell.run("sysctl", "-qw", "net.netfilter.nf_log_all_netns=\(original.isEmpty ? "0" : original)")
        }

        let listener = try server.spawn(["socat", "-u", "TCP-LISTEN:5432,reuseaddr,fork", "/dev/null"])
        defer {
            kill(listener.processIdentifier, SIGKILL)
            listener.waitUntilExit()
        }
        var connected = false
        for _ in 0..<50 where !connected {
            connected =
                (try? client.run(
                    ["socat", "-u", "/dev/null", "TCP:10.77.0.2:5432,connect-timeout=1"], allowFailure: false)) != nil
            if !connected { usleep(100_000) }
        }
        #expect(connected, "the listener in the server namespace never accepted")
        _ = try client.run(["socat", "-u", "/dev/null", "TCP:10.77.0.2:23,connect-timeout=1"], allowFailure: true)

        var lines: [String] = []
        for _ in 0..<20 {
            lines = try Shell.run("dmesg").stdout.split(separator: "\n").map(String.init).filter { $0.contains(token) }
            if lines.contains(where: { $0.contains("PW-DROP") }) && lines.contains(where: { $0.contains("PW-ACCEPT") })
            {
                break
            }
            usleep(100_000)
        }
        #expect(lines.contains { $0.contains("PW-ACCEPT \(token)") }, "no accept line in the kernel log")
        #expect(lines.contains { $0.contains("PW-DROP \(token)") }, "no drop line in the kernel log")

        let scratch = try ScratchDirectory()
        let log = try scratch.write("kernel.log", lines.joined(separator: "\n") + "\n")
        let policy = try scratch.write(
            "policy.yaml",
            """
            version: 1
            zones:
              - id: cde-db
                kind: cde
                prefixes: [10.77.0.2/32]
                owner: payments
              - id: corp
                kind: out-of-scope
                prefixes: [10.77.0.1/32]
                owner: it
            services:
              - id: pg
                zone: cde-db
                hosts: [10.77.0.2]
                ports: [tcp/5432]
                justification: Card vault
                owner: payments
                approved-by: ciso
                approved-on: 2026-09-01
                ticket: CHG-1
            """)
        let result = try Binary.run(["ingest", "--policy", policy, "--format", "netfilter", log, "--output", "json"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let alerts = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(alerts.map { $0["rule"] as? String } == ["PW-SOURCE-NOT-PERMITTED"], "\(result.stdout)")
        #expect(alerts.first?["requirements"] as? [String] == ["1.2.5", "1.3.1", "12.5.2"])
        #expect(alerts.first?["host"] as? String == "10.77.0.2")
        #expect(result.stderr.contains("broken line") && result.stderr.contains("0 broken lines"), "\(result.stderr)")
    }
}
