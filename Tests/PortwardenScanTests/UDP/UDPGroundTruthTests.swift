import Foundation
import PortwardenCore
import PortwardenScan
import PortwardenTestSupport
import Testing

/// UDP ground truth in a target namespace the test creates.
@Suite("UDP ground truth in network namespaces", .serialized)
struct UDPGroundTruthTests {
    static let echoPort: UInt16 = 40001
    static let silentPort: UInt16 = 40002
    static let closedPorts: [UInt16] = Array(40010...40014)
    static let prohibitedPorts: [UInt16] = Array(32000...32004)
    static let hostUnreachablePort: UInt16 = 32100
    static let addressUnreachableV6Port: UInt16 = 32101

    /// The expected (state, reason) of every scanned port.
    static func truth(ipv6: Bool) -> [UInt16: (PortState, String)] {
        var truth: [UInt16: (PortState, String)] = [
            echoPort: (.open, "udp-response"),
            silentPort: (.openFiltered, "no-response"),
        ]
        for port in closedPorts { truth[port] = (.closed, "port-unreach") }
        for port in prohibitedPorts { truth[port] = (.filtered, "admin-prohibited") }
        // `reject with icmp type host-unreachable` only matches IPv4; IPv6 gets its own rule.
        truth[hostUnreachablePort] = ipv6 ? (.closed, "port-unreach") : (.filtered, "host-unreach")
        truth[addressUnreachableV6Port] = ipv6 ? (.filtered, "host-unreach") : (.closed, "port-unreach")
        return truth
    }

    static let rules = [
        "udp dport 32000-32099 reject with icmpx admin-prohibited",
        "udp dport 32100 reject with icmp type host-unreachable",
        "udp dport 32101 reject with icmpv6 type addr-unreachable",
    ]

    @Test(
        "echo open, silent open|filtered, closed, admin-prohibited and host-unreach exact",
        .runnable(unless: NetworkNamespace.unavailableReason), arguments: [false, true])
    func groundTruth(ipv6: Bool) throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.firewall(Self.rules)
        try network.spawn(VethTestNetwork.pythonListener(echo: [Self.echoPort], silent: [Self.silentPort]))
        #expect(network.waitForListeners([Self.echoPort, Self.silentPort]))

        let target = try #require(IPAddress(ipv6 ? VethTestNetwork.targetV6 : VethTestNetwork.targetV4))
        let truth = Self.truth(ipv6: ipv6)
        let ports = truth.keys.sorted()
        let configuration = UDPScanConfiguration(
            initialTimeout: .milliseconds(400), maxRetries: 1, vantage: "lab")
        let result = try network.scanner.runOnThread {
            try UDPScanner(configuration: configuration).run(hosts: [target], ports: ports)
        }
        #expect(result.observations.count == ports.count)
        for observation in result.observations {
            let expected = try #require(truth[observation.port])
            #expect(observation.state == expected.0, "port \(observation.port)")
            #expect(observation.reason == expected.1, "port \(observation.port)")
            #expect(observation.transport == .udp)
            #expect(observation.host == target)
            #expect(observation.vantage == "lab")
        }
        #expect(result.statistics.responses >= 1)
        #expect(result.statistics.icmpErrors >= Self.closedPorts.count + Self.prohibitedPorts.count)
        // The silent port was retransmitted once (maxRetries 1); nothing that answered was.
        #expect(result.statistics.retries == 1)
    }

    @Test(
        "IPv4 and IPv6 hosts in one run, under a global rate cap, with duplicates scanned once",
        .runnable(unless: NetworkNamespace.unavailableReason))
    func mixedFamiliesWithRateCap() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        try network.firewall(Self.rules)
        try network.spawn(VethTestNetwork.pythonListener(echo: [Self.echoPort], silent: []))
        #expect(network.waitForListeners([Self.echoPort]))
        let v4 = try #require(IPAddress(VethTestNetwork.targetV4))
        let v6 = try #require(IPAddress(VethTestNetwork.targetV6))
        let ports: [UInt16] = [Self.echoPort, 40010, 32000, Self.echoPort]
        let configuration = UDPScanConfiguration(maxInFlight: 2, maxRate: 50, initialTimeout: .milliseconds(400))
        let result = try network.scanner.runOnThread {
            try UDPScanner(configuration: configuration).run(hosts: [v6, v4, v6], ports: ports)
        }
        #expect(result.statistics.open + result.statistics.closed + result.statistics.filtered == 6)
        let states = result.observations.map { "\($0.host) \($0.port) \($0.state.rawValue) \($0.reason ?? "")" }
        #expect(
            states == [
                "10.99.0.2 32000 filtered admin-prohibited", "10.99.0.2 40001 open udp-response",
                "10.99.0.2 40010 closed port-unreach", "fd00:99::2 32000 filtered admin-prohibited",
                "fd00:99::2 40001 open udp-response", "fd00:99::2 40010 closed port-unreach",
            ])
        // Both hosts answered on 40001: each has a round-trip sample.
        #expect(result.statistics.perHost.map(\.host).sorted() == [v4, v6])
        #expect(
            result.statistics.perHost.allSatisfy { $0.samples > 0 && $0.srtt != nil }, "\(result.statistics.perHost)")
    }

    @Test(
        "per-host pacing keeps closed ports closed under the kernel's default ICMP rate limit",
        .runnable(unless: NetworkNamespace.unavailableReason))
    func perHostPacing() throws {
        let network = try VethTestNetwork(relaxICMPLimits: false)
        defer { network.remove() }
        let target = try #require(IPAddress(VethTestNetwork.targetV4))
        let ports = Array(UInt16(41000)..<41010)
        // The kernel answers a burst of 6 unreachables, then about one per second: at 2 probes/s
        // the bucket never runs dry for 10 ports.
        let configuration = UDPScanConfiguration(perHostRate: 2, initialTimeout: .milliseconds(400), maxRetries: 1)
        let result = try network.scanner.runOnThread {
            try UDPScanner(configuration: configuration).run(hosts: [target], ports: ports)
        }
        #expect(result.observations.map(\.port) == ports)
        for observation in result.observations {
            #expect(observation.state == .closed, "port \(observation.port): \(observation.reason ?? "")")
        }
        #expect(result.statistics.retries == 0)
    }

    @Test("the async wrapper returns at once for an empty target list, sending nothing")
    func asyncWrapperEmpty() async throws {
        // The async wrapper runs on a Dispatch thread outside any namespace a test created, so it
        // is only exercised without targets here: no socket may be opened.
        let result = try await UDPScanner(configuration: UDPScanConfiguration()).scan(hosts: [], ports: [53])
        #expect(result.observations.isEmpty)
        #expect(result.statistics.datagramsSent == 0)
    }

    @Test(
        "a stop request ends the scan with CancellationError and closes its sockets",
        .runnable(unless: NetworkNamespace.unavailableReason))
    func stopRequest() throws {
        let network = try VethTestNetwork()
        defer { network.remove() }
        let target = try #require(IPAddress(VethTestNetwork.targetV4))
        let outcome: String = try network.scanner.runOnThread {
            do {
                _ = try UDPScanner(configuration: UDPScanConfiguration()).run(
                    hosts: [target], ports: [40_000], shouldStop: { true })
                return "finished"
            } catch is CancellationError {
                return "cancelled"
            }
        }
        #expect(outcome == "cancelled")
    }

    @Test("an invalid configuration is refused before any socket is opened")
    func invalidConfiguration() {
        let target = IPAddress(ipv4: 0x0A63_0002)
        #expect(throws: ScanError.self) {
            try UDPScanner(configuration: UDPScanConfiguration(maxInFlight: 0)).run(hosts: [target], ports: [1])
        }
        #expect(throws: ScanError.self) {
            try UDPScanner(configuration: UDPScanConfiguration(perHostRate: 0)).run(hosts: [target], ports: [1])
        }
        #expect(throws: ScanError.self) {
            try UDPScanner(configuration: UDPScanConfiguration(snmpCommunities: [""])).run(hosts: [target], ports: [1])
        }
        #expect(throws: ScanError.self) {
            try UDPScanner(configuration: UDPScanConfiguration(dnsRecursionName: "a..b")).run(
                hosts: [target], ports: [1])
        }
    }
}
