import Foundation
import PortwardenCore
import PortwardenTestSupport
import Testing

@testable import PortwardenScan

/// Component tests of the raw SYN scanner inside network namespaces the tests create: a scanner
/// namespace joined by a veth pair to a target namespace with listeners and nftables rules, and a
/// namespace's own loopback. Never the host's loopback or any other address.
@Suite("SYN scanner in network namespaces", .serialized)
struct SYNNamespaceTests {
    private static func lab(retries: Int = 2) -> ScanConfiguration {
        .lab(window: 256, perHost: 256, retries: retries, seed: 11)
    }

    static func unavailable() -> String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        if Listener.python == nil { return "python3 is needed for the test listeners" }
        if Shell.which("nft") == nil { return "nft (nftables) is not installed" }
        return nil
    }

    /// Drops inbound segments to the scanner's source-port range in the scanner namespace, so its
    /// kernel does not answer the SYN-ACKs with RSTs (pitfall 1). The capture sees them anyway:
    /// packet sockets tap before the netfilter input hook.
    private static func dropSourceRange(in ns: NetworkNamespace) throws {
        try ns.run("nft", "add", "table", "inet", "synscan")
        try ns.run("nft", "add", "chain", "inet", "synscan", "input", "{ type filter hook input priority 0 ; }")
        try ns.run("nft", "add", "rule", "inet", "synscan", "input", "tcp", "dport", "61000-62023", "drop")
    }

    @Test(.runnable(unless: SYNNamespaceTests.unavailable())) func vethTargetWithFirewallRulesGivesEveryStateAndReason()
        throws
    {
        let scannerNS = try NetworkNamespace(prefix: "synsrc")
        defer { scannerNS.remove() }
        let target = try scannerNS.addPeer(
            prefix: "syntgt", localAddress: "10.78.0.1", peerAddress: "10.78.0.2", prefixLength: 24)
        defer { target.remove() }
        try Firewall.install(in: target)
        try target.run(
            "nft", "add", "rule", "inet", "f", "input", "tcp", "dport", "32200-32209", "reject", "with", "icmp",
            "type", "host-unreachable")
        try Self.dropSourceRange(in: scannerNS)
        let open: Set<UInt16> = [22, 443, 40000, 40003]
        let listener = try Listener.start(in: target, address: "10.78.0.2", ports: open.union([20010]))
        defer { listener.stop() }
        let ports =
            Array(UInt16(20)...30) + [443] + Array(20000...20019) + Array(30000...30019)
            + Array(31000...31019) + Array(32200...32209) + Array(40000...40004)
        let scanner = SYNScanner(configuration: Self.lab())
        let result = try scannerNS.runOnThread { try scanner.run(hosts: [IPAddress("10.78.0.2")!], ports: ports) }
        #expect(result.observations.count == ports.count)
        #expect(result.observations.map(\.port) == ports)
        for o in result.observations {
            let seen = "\(o.port) \(o.state) \(o.reason ?? "-")"
            switch o.port {
            case 20000...20019:
                #expect(o.state == .filtered && o.reason == "no-response", "\(seen)")
            case 30000...30019:
                #expect(o.state == .filtered && o.reason == "admin-prohibited", "\(seen)")
            case 31000...31019:
                #expect(o.state == .closed && o.reason == "reset", "\(seen)")
            case 32200...32209:
                #expect(o.state == .filtered && o.reason == "host-unreach", "\(seen)")
            default:
                if open.contains(o.port) {
                    #expect(o.state == .open && o.reason == "syn-ack", "\(seen)")
                } else {
                    #expect(o.state == .closed && o.reason == "reset", "\(seen)")
                }
            }
            #expect(o.source == .scan && o.vantage == "lab" && o.transport == .tcp && o.host == IPAddress("10.78.0.2"))
        }
        let statistics = result.statistics
        #expect(statistics.open == open.count)
        #expect(statistics.filtered == 50)
        // The 20 dropped ports got one retransmission each (no answer to a retry proved loss).
        #expect(statistics.retries == 20)
        #expect(statistics.probesSent == ports.count + 20)
        #expect((statistics.perHost.first?.samples ?? 0) > 0)
    }

    @Test(.runnable(unless: SYNNamespaceTests.unavailable()))
    func withoutTheDropRuleTheLocalKernelResetsButStatesStayRight() throws {
        let scannerNS = try NetworkNamespace(prefix: "synrst")
        defer { scannerNS.remove() }
        let target = try scannerNS.addPeer(
            prefix: "syntg2", localAddress: "10.78.1.1", peerAddress: "10.78.1.2", prefixLength: 24)
        defer { target.remove() }
        let listener = try Listener.start(in: target, address: "10.78.1.2", ports: [8080])
        defer { listener.stop() }
        let scanner = SYNScanner(configuration: Self.lab())
        let ports: [UInt16] = [8079, 8080, 8081]
        let result = try scannerNS.runOnThread { try scanner.run(hosts: [IPAddress("10.78.1.2")!], ports: ports) }
        #expect(result.observations.map(\.state) == [.closed, .open, .closed])
    }

    @Test(.runnable(unless: SYNNamespaceTests.unavailable())) func loopbackInsideANamespace() throws {
        let ns = try NetworkNamespace(prefix: "synlo")
        defer { ns.remove() }
        try Self.dropSourceRange(in: ns)
        let open: Set<UInt16> = [22, 80, 5432]
        let listener = try Listener.start(in: ns, address: "127.0.0.1", ports: open)
        defer { listener.stop() }
        let ports = Array(UInt16(1)...UInt16(2000)) + [5432]
        let scanner = SYNScanner(configuration: Self.lab())
        let result = try ns.runOnThread { try scanner.run(hosts: [IPAddress("127.0.0.1")!], ports: ports) }
        #expect(result.observations.count == ports.count)
        #expect(Set(result.observations.filter { $0.state == .open }.map(\.port)) == open)
        #expect(result.observations.filter { $0.state == .closed }.count == ports.count - open.count)
        #expect(result.statistics.retries == 0)
    }

    /// The async wrapper runs on a pool thread outside any test namespace, so it is exercised only
    /// on inputs that send nothing: no targets, and an IPv6 target that is refused up front.
    @Test func asyncWrapperSendsNothingForEmptyOrRefusedInput() async throws {
        let scanner = SYNScanner(configuration: Self.lab())
        let empty = try await scanner.scan(hosts: [], ports: [80])
        #expect(empty.observations.isEmpty && empty.statistics.probesSent == 0)
        await #expect(throws: ScanError.self) { try await scanner.scan(hosts: [IPAddress("fd00::1")!], ports: [22]) }
    }

    @Test(.runnable(unless: NetworkNamespace.unavailableReason)) func unavailableReasonIsNilForRootAndNamesIPv6() throws
    {
        let ns = try NetworkNamespace(prefix: "syncap")
        defer { ns.remove() }
        let reason = try ns.runOnThread { SYNScanner.unavailableReason }
        #expect(reason == nil)
        let ipv6 = SYNScanner.unavailableReason(hosts: [IPAddress("fd00::1")!])
        #expect(ipv6?.contains("IPv4 only") == true)
        #expect(throws: ScanError.self) {
            try SYNScanner(configuration: Self.lab()).run(hosts: [IPAddress("fd00::1")!], ports: [22])
        }
    }
}
