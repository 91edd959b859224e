import Foundation
import PortwardenCore
import PortwardenTestSupport
import Testing

@testable import PortwardenScan

/// Tarpit / wildcard detection (docs/scanning.md): one host whose every port is redirected
/// to a single listener, next to normal hosts whose results must stay exact.
@Suite("Connect engine tarpit detection", .serialized)
struct ConnectTarpitTests {
    private static func lab(perHost: Int) -> ScanConfiguration {
        .lab(window: 512, perHost: perHost, seed: 11, vantage: nil)
    }

    static func unavailable() -> String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        if Listener.python == nil { return "python3 is needed for the test listeners" }
        if Shell.which("nft") == nil { return "nft (nftables) is not installed" }
        return nil
    }

    @Test(arguments: [
        (open: 64, answers: 64, fires: true), (open: 58, answers: 64, fires: true),
        (open: 57, answers: 64, fires: false),
        (open: 63, answers: 63, fires: false), (open: 0, answers: 1000, fires: false),
    ])
    func ruleNeedsEnoughAnswersAndShare(open: Int, answers: Int, fires: Bool) {
        #expect(TarpitRule.default.fires(open: open, answers: answers) == fires)
    }

    @Test func ruleClampsItsParameters() {
        let rule = TarpitRule(minimumAnswers: 0, openPercent: 250, minimumHighPorts: -3)
        #expect(rule.minimumAnswers == 1 && rule.openPercent == 100 && rule.minimumHighPorts == 0)
        #expect(!rule.fires(open: 9, answers: 10) && rule.fires(open: 1, answers: 1))
    }

    @Test(.runnable(unless: ConnectTarpitTests.unavailable())) func tarpitIsFlaggedAndBoundedWhileNormalHostsStayExact()
        throws
    {
        let scannerNS = try NetworkNamespace(prefix: "tpsrc")
        defer { scannerNS.remove() }
        let target = try scannerNS.addPeer(
            prefix: "tptgt", localAddress: "10.78.0.1", peerAddress: "10.78.0.2", prefixLength: 24)
        defer { target.remove() }
        let device = try #require(
            try target.run("ip", "-br", "link").stdout.split(separator: "\n")
                .map { String($0.split(separator: " ")[0].split(separator: "@")[0]) }.first { $0 != "lo" })
        for address in ["10.78.0.3", "10.78.0.4", "10.78.0.250"] {
            try target.run("ip", "addr", "add", "\(address)/24", "dev", device)
        }
        try target.run("nft", "add", "table", "ip", "tarpit")
        try target.run("nft", "add", "chain", "ip", "tarpit", "pre", "{ type nat hook prerouting priority dstnat ; }")
        try target.run(
            "nft", "add", "rule", "ip", "tarpit", "pre", "ip", "daddr", "10.78.0.250", "tcp", "dport", "1-65535",
            "redirect", "to", ":9999")
        try target.run("nft", "add", "table", "inet", "f")
        try target.run("nft", "add", "chain", "inet", "f", "input", "{ type filter hook input priority 0 ; }")
        try target.run("nft", "add", "rule", "inet", "f", "input", "tcp", "dport", "4000-4009", "drop")
        // `redirect` rewrites the destination to the interface's primary address (10.78.0.2).
        let truth: [String: Set<UInt16>] = [
            "10.78.0.2": [22, 9999, 4500], "10.78.0.3": [80, 3000], "10.78.0.4": [443],
        ]
        var listeners: [Listener] = []
        defer { listeners.forEach { $0.stop() } }
        for (address, ports) in truth {
            listeners.append(try Listener.start(in: target, address: address, ports: ports))
        }

        let hosts = ["10.78.0.2", "10.78.0.250", "10.78.0.3", "10.78.0.4"].compactMap { IPAddress($0) }
        let ports = Array(UInt16(1)...UInt16(5000))
        let perHost = 128
        let scanner = ConnectScanner(configuration: Self.lab(perHost: perHost))
        let result = try scannerNS.runOnThread { try scanner.run(hosts: hosts, ports: ports) }
        let tarpit = try #require(IPAddress("10.78.0.250"))
        #expect(result.statistics.tarpitHosts == [tarpit])
        #expect(result.observations.count == hosts.count * ports.count)

        for observation in result.observations where observation.host != tarpit {
            let open = truth["\(observation.host)"] ?? []
            let got = "\(observation.state.rawValue) \(observation.reason ?? "")"
            if open.contains(observation.port) {
                #expect(got == "open syn-ack", "\(observation.host):\(observation.port)")
            } else if (4000...4009).contains(observation.port) {
                #expect(got == "filtered no-response", "\(observation.host):\(observation.port)")
            } else {
                #expect(got == "closed conn-refused", "\(observation.host):\(observation.port) \(got)")
            }
        }
        let tarpitObservations = result.observations.filter { $0.host == tarpit }
        let unprobed = tarpitObservations.filter { $0.reason == "tarpit" }
        #expect(unprobed.allSatisfy { $0.state == .filtered })
        #expect(tarpitObservations.allSatisfy { $0.reason == "tarpit" || $0.state == .open })
        // The bound: the three normal hosts cost 3 × 5000 probes + one retry per dropped port; the
        // tarpit only its sample (64 high-port answers, ~80 probes with the low ports mixed in) plus
        // what was in flight to it (≤ 128) when the rule fired.
        let tarpitProbes = result.statistics.probesSent - (3 * ports.count + 3 * 10)
        #expect(tarpitProbes >= 64)
        #expect(tarpitProbes <= 400, "\(tarpitProbes) probes went to the tarpit")
        #expect(unprobed.count >= ports.count - 400)
    }

    @Test(.runnable(unless: ConnectTarpitTests.unavailable())) func aShortListOfGenuinelyOpenPortsIsNotATarpit() throws
    {
        let ns = try NetworkNamespace(prefix: "tpshort")
        defer { ns.remove() }
        let open = Set(UInt16(3000)...UInt16(3199))
        let listener = try Listener.start(in: ns, address: "127.0.0.1", ports: open)
        defer { listener.stop() }
        let scanner = ConnectScanner(configuration: Self.lab(perHost: 64))
        let result = try ns.runOnThread {
            try scanner.run(hosts: [IPAddress("127.0.0.1")!], ports: Array(UInt16(2990)...UInt16(3199)))
        }
        #expect(result.statistics.tarpitHosts.isEmpty)
        #expect(Set(result.observations.filter { $0.state == .open }.map(\.port)) == open)
        #expect(result.observations.filter { $0.state == .closed }.count == 10)
    }

    @Test(.runnable(unless: ConnectTarpitTests.unavailable())) func streamingDeliversTheSameObservationsInOrder() throws
    {
        let ns = try NetworkNamespace(prefix: "tpstream")
        defer { ns.remove() }
        let open: Set<UInt16> = [7, 1500, 2999]
        let listener = try Listener.start(in: ns, address: "127.0.0.1", ports: open)
        defer { listener.stop() }
        let scanner = ConnectScanner(configuration: Self.lab(perHost: 64))
        let hosts = [IPAddress("127.0.0.1")!, IPAddress("127.0.0.2")!]
        let ports = Array(UInt16(1)...UInt16(3000))
        let (statistics, streamed) = try ns.runOnThread {
            var collected: [Observation] = []
            let statistics = try scanner.run(hosts: hosts, ports: ports) { collected.append($0) }
            return (statistics, collected)
        }
        #expect(streamed.count == hosts.count * ports.count)
        #expect(streamed.map(\.port) == ports + ports)
        #expect(
            streamed.filter { $0.state == .open }.map { "\($0.host):\($0.port)" } == [
                "127.0.0.1:7", "127.0.0.1:1500", "127.0.0.1:2999",
            ])
        #expect(statistics.open == 3 && statistics.closed == 2 * ports.count - 3 && statistics.tarpitHosts.isEmpty)
    }
}
