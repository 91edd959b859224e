import Foundation
import PortwardenCore
import PortwardenTestSupport
import Testing

@testable import PortwardenScan

/// Component tests of the connect engine against real listeners and nftables rules, all inside
/// network namespaces the tests create (never the host's own loopback).
@Suite("Connect engine in network namespaces", .serialized, .needsNetworkNamespaces)
struct ConnectNamespaceTests {
    /// A configuration for a LAN lab: short timeouts, fixed seed.
    private static func lab(window: Int = 512, perHost: Int = 512, retries: Int = 2) -> ScanConfiguration {
        .lab(window: window, perHost: perHost, retries: retries, seed: 7)
    }

    /// Why these tests cannot run here, or `nil`; `nftables` is needed by the firewall-rule tests.
    static func unavailable(nftables: Bool = false) -> String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        if Listener.python == nil { return "needs /usr/bin/python3 for the test listeners" }
        if nftables, Shell.which("nft") == nil { return "needs nft (apt-get install -y nftables)" }
        return nil
    }

    @Test(.runnable(unless: ConnectNamespaceTests.unavailable()))
    func loopbackInsideANamespaceFindsExactlyTheListeners() throws {
        let ns = try NetworkNamespace(prefix: "scanlo")
        defer { ns.remove() }
        let open: Set<UInt16> = [22, 80, 443, 1500, 5432]
        let listener = try Listener.start(in: ns, address: "127.0.0.1", ports: open)
        defer { listener.stop() }
        let scanner = ConnectScanner(configuration: Self.lab())
        let ports = Array(UInt16(1)...UInt16(6000))
        let result = try ns.runOnThread { try scanner.run(hosts: [IPAddress("127.0.0.1")!], ports: ports) }
        #expect(result.observations.count == ports.count)
        #expect(Set(result.observations.filter { $0.state == .open }.map(\.port)) == open)
        for observation in result.observations {
            if open.contains(observation.port) {
                #expect(observation.reason == "syn-ack")
            } else {
                #expect(observation.state == .closed && observation.reason == "conn-refused", "\(observation.port)")
            }
            #expect(observation.source == .scan && observation.vantage == "lab" && observation.transport == .tcp)
        }
        #expect(result.observations.map(\.port) == ports)
        #expect(result.statistics.open == open.count)
        #expect(result.statistics.closed == ports.count - open.count)
        #expect(result.statistics.perHost.first?.samples ?? 0 > 0)
    }

    @Test(.runnable(unless: ConnectNamespaceTests.unavailable(nftables: true)))
    func vethTargetWithFirewallRulesGivesEveryStateAndReason() throws {
        let scannerNS = try NetworkNamespace(prefix: "scansrc")
        defer { scannerNS.remove() }
        let target = try scannerNS.addPeer(
            prefix: "scantgt", localAddress: "10.77.0.1", peerAddress: "10.77.0.2", prefixLength: 24)
        defer { target.remove() }
        try Firewall.install(in: target)
        let listener = try Listener.start(in: target, address: "10.77.0.2", ports: [20010, 40000, 40001])
        defer { listener.stop() }
        let ports = Array(UInt16(20000)...20049) + Array(30000...30049) + Array(31000...31049) + Array(40000...40004)
        let scanner = ConnectScanner(configuration: Self.lab())
        let result = try scannerNS.runOnThread { try scanner.run(hosts: [IPAddress("10.77.0.2")!], ports: ports) }
        #expect(result.observations.count == ports.count)
        for o in result.observations {
            switch o.port {
            case 20000...20049:
                #expect(o.state == .filtered && o.reason == "no-response", "\(o.port) \(o.state) \(o.reason ?? "")")
            case 30000...30049:
                #expect(o.state == .filtered, "\(o.port)")
                #expect(o.reason == "host-unreach" || o.reason == "admin-prohibited", "\(o.port) \(o.reason ?? "")")
            case 31000...31049, 40002...40004:
                #expect(o.state == .closed && o.reason == "conn-refused", "\(o.port) \(o.state)")
            default:
                #expect(o.state == .open && o.reason == "syn-ack", "\(o.port) \(o.state)")
            }
        }
        // Silent probes get exactly one retransmission: no retry produced an answer.
        #expect(result.statistics.retries == 50)
        #expect(result.statistics.probesSent == ports.count + 50)
        let timing = try #require(result.statistics.perHost.first)
        #expect(timing.samples > 0 && timing.timeout >= .milliseconds(100) && timing.timeout <= .milliseconds(500))
    }

    /// ICMP 3/1 (host unreachable) to a connecting socket is EHOSTUNREACH without IP_RECVERR.
    @Test(.runnable(unless: ConnectNamespaceTests.unavailable(nftables: true)))
    func ipv4HostUnreachableRejectIsFilteredHostUnreach() throws {
        let scannerNS = try NetworkNamespace(prefix: "scanhu")
        defer { scannerNS.remove() }
        let target = try scannerNS.addPeer(
            prefix: "scanhut", localAddress: "10.78.0.1", peerAddress: "10.78.0.2", prefixLength: 24)
        defer { target.remove() }
        try Firewall.install(in: target)
        try target.run(
            "nft", "add", "rule", "inet", "f", "input", "tcp", "dport", "32000-32099", "reject", "with", "icmp",
            "type", "host-unreachable")
        let listener = try Listener.start(in: target, address: "10.78.0.2", ports: [40000])
        defer { listener.stop() }
        let ports = Array(UInt16(32000)...32019) + [40000, 40001]
        let scanner = ConnectScanner(configuration: Self.lab())
        let result = try scannerNS.runOnThread { try scanner.run(hosts: [IPAddress("10.78.0.2")!], ports: ports) }
        #expect(result.observations.count == ports.count)
        for o in result.observations {
            let got = "\(o.state.rawValue) \(o.reason ?? "")"
            switch o.port {
            case 40000: #expect(got == "open syn-ack")
            case 40001: #expect(got == "closed conn-refused")
            default: #expect(got == "filtered host-unreach", "\(o.port)")
            }
        }
        #expect(result.statistics.retries == 0 && result.statistics.lateICMPErrors == 0)
    }

    @Test(.runnable(unless: ConnectNamespaceTests.unavailable(nftables: true))) func smallWindowManyPortsAndRetries()
        throws
    {
        let ns = try NetworkNamespace(prefix: "scanwin")
        defer { ns.remove() }
        try ns.run("nft", "add", "table", "inet", "f")
        try ns.run("nft", "add", "chain", "inet", "f", "input", "{ type filter hook input priority 0 ; }")
        try ns.run("nft", "add", "rule", "inet", "f", "input", "tcp", "dport", "15000-15019", "drop")
        let open: Set<UInt16> = [2000, 9999, 15010, 19999]
        let listener = try Listener.start(in: ns, address: "127.0.0.1", ports: open)
        defer { listener.stop() }
        let scanner = ConnectScanner(configuration: Self.lab(window: 16, perHost: 8))
        let ports = Array(UInt16(1)...UInt16(20000))
        let result = try ns.runOnThread { try scanner.run(hosts: [IPAddress("127.0.0.1")!], ports: ports) }
        let opened = Set(result.observations.filter { $0.state == .open }.map(\.port))
        #expect(opened == open.subtracting([15010]))
        let filtered = result.observations.filter { $0.state == .filtered }
        #expect(filtered.map(\.port) == Array(15000...15019))
        #expect(filtered.allSatisfy { $0.reason == "no-response" })
        #expect(result.statistics.peakInFlight <= 8)
        #expect(result.statistics.retries == 20)
        #expect(result.statistics.probesSent == 20020)
    }

    @Test(.runnable(unless: ConnectNamespaceTests.unavailable(nftables: true))) func ipv6LoopbackAndVeth() throws {
        let scannerNS = try NetworkNamespace(prefix: "scan6")
        defer { scannerNS.remove() }
        let loopback = try Listener.start(in: scannerNS, address: "::1", ports: [8443])
        defer { loopback.stop() }
        let target = try NetworkNamespace(prefix: "scan6t")
        defer { target.remove() }
        try Firewall.connectIPv6(scannerNS, "fd00:77::1", to: target, "fd00:77::2")
        try Firewall.install(in: target)
        let remote = try Listener.start(in: target, address: "fd00:77::2", ports: [40000])
        defer { remote.stop() }
        let hosts = [IPAddress("::1")!, IPAddress("fd00:77::2")!]
        let ports: [UInt16] = [8443, 20001, 30001, 31001, 40000, 40003]
        let scanner = ConnectScanner(configuration: Self.lab())
        let result = try scannerNS.runOnThread { try scanner.run(hosts: hosts, ports: ports) }
        let states = Dictionary(
            uniqueKeysWithValues: result.observations.map {
                ("\($0.host) \($0.port)", "\($0.state.rawValue) \($0.reason ?? "")")
            })
        #expect(states["::1 8443"] == "open syn-ack")
        #expect(states["::1 40000"] == "closed conn-refused")
        #expect(states["fd00:77::2 40000"] == "open syn-ack")
        #expect(states["fd00:77::2 40003"] == "closed conn-refused")
        #expect(states["fd00:77::2 31001"] == "closed conn-refused")
        #expect(states["fd00:77::2 20001"] == "filtered no-response")
        // ICMPv6 1/1 (admin-prohibited) is EACCES. It arrives while connect() still owns the
        // socket, so without IPV6_RECVERR it was a soft error that never woke epoll (no-response).
        #expect(states["fd00:77::2 30001"] == "filtered admin-prohibited")
        #expect(result.observations.count == 12)
        // Answered when the ICMPv6 error arrived (IPV6_RECVERR), not read back at the deadline;
        // only the dropped port needed a retry.
        #expect(result.statistics.lateICMPErrors == 0)
        #expect(result.statistics.retries == 1)
    }
}

/// The lab firewall rules (one per state and reason), scaled down, with ICMP rate limits off.
enum Firewall {
    static func install(in ns: NetworkNamespace) throws {
        try ns.run(
            "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_msgs_per_sec=100000",
            "net.ipv4.icmp_msgs_burst=100000", "net.ipv6.icmp.ratelimit=0")
        try ns.run("nft", "add", "table", "inet", "f")
        try ns.run("nft", "add", "chain", "inet", "f", "input", "{ type filter hook input priority 0 ; }")
        try ns.run("nft", "add", "rule", "inet", "f", "input", "tcp", "dport", "20000-29999", "drop")
        try ns.run(
            "nft", "add", "rule", "inet", "f", "input", "tcp", "dport", "30000-30999", "reject", "with", "icmpx",
            "admin-prohibited")
        try ns.run(
            "nft", "add", "rule", "inet", "f", "input", "tcp", "dport", "31000-31099", "reject", "with", "tcp",
            "reset")
    }

    /// Joins two namespaces with a veth pair carrying IPv6 addresses in a /64, without duplicate
    /// address detection (a tentative address cannot source the ICMPv6 errors the test expects).
    static func connectIPv6(
        _ a: NetworkNamespace, _ addressA: String, to b: NetworkNamespace, _ addressB: String
    )
        throws
    {
        let name = "pw6\(String(UInt32.random(in: 0...0xFFFFFF), radix: 36))"
        try Shell.run(
            "ip", "link", "add", name + "a", "netns", a.name, "type", "veth", "peer", "name", name + "b",
            "netns", b.name)
        for (ns, address, device) in [(a, addressA, name + "a"), (b, addressB, name + "b")] {
            try Shell.run("ip", "-n", ns.name, "addr", "add", "\(address)/64", "dev", device, "nodad")
            try Shell.run("ip", "-n", ns.name, "link", "set", device, "up")
        }
        // Wait (bounded) until the link carries traffic, so that neighbour discovery has settled.
        var last = ""
        for _ in 0..<20 {
            let ping = try a.run(["ping", "-6", "-c", "1", "-W", "1", addressB], allowFailure: true)
            if ping.status == 0 { return }
            last = ping.stderr + ping.stdout
            usleep(100_000)
        }
        throw ListenerError(description: "the IPv6 veth link never carried a ping to \(addressB): \(last)")
    }
}

struct ListenerError: Error, CustomStringConvertible {
    let description: String
}

/// A python3 process listening on TCP ports inside a namespace, accepting and closing.
struct Listener {
    let process: Process

    /// The python3 interpreter: the system one first (a pyenv shim may not run under `ip netns exec`).
    static let python: String? =
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.fileExists(atPath: $0) }
        ?? Shell.which("python3")

    static func start(in ns: NetworkNamespace, address: String, ports: Set<UInt16>) throws -> Listener {
        let family = address.contains(":") ? "AF_INET6" : "AF_INET"
        let script = """
            import socket, select
            ss = []
            for p in [\(ports.map(String.init).joined(separator: ","))]:
                s = socket.socket(socket.\(family), socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("\(address)", p)); s.listen(1024); ss.append(s)
            while True:
                for s in select.select(ss, [], [])[0]:
                    try:
                        s.accept()[0].close()
                    except OSError:
                        pass
            """
        let process = try ns.spawn([python ?? "python3", "-c", script])
        let listener = Listener(process: process)
        for _ in 0..<200 {
            let output = try ns.run("ss", "-ltnH").stdout
            let listening = ports.allSatisfy { output.contains(":\($0) ") }
            if listening { return listener }
            if !process.isRunning { break }
            usleep(50_000)
        }
        listener.stop()
        throw ListenerError(description: "the python3 listener on \(address) never listened on \(ports.sorted())")
    }

    func stop() {
        // Poll rather than waitUntilExit, which can hang on Linux when called off the main thread.
        // SIGKILL: the runner's signal mask may block SIGTERM in the child (see NetworkNamespace.spawn).
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
    }
}
