import PortwardenCore
import PortwardenScan

/// The scanning half of `audit`: host discovery, the full port scan of the hosts that answered,
/// and service detection on what is open.
struct AuditScan {
    var hosts: [IPAddress]
    var ports: [UInt16]
    /// Ports the policy declares on these hosts: probed during discovery too, since a host that
    /// drops everything but its one declared service must still count as up.
    var declaredPorts: [UInt16]
    var configuration: ScanConfiguration
    var discovery: Bool
    var detection: Bool
    var syn = false
    /// UDP pass over these ports of the hosts that answered (empty: no UDP pass).
    var udpPorts: [UInt16] = []
    var udpConfiguration = UDPScanConfiguration()

    struct Outcome {
        var observations: [Observation]
        var hostsUp: Int
        var hostsSilent: Int
        var probesSent: Int
    }

    /// Below this many addresses discovery saves nothing: every host is scanned in full.
    static let discoveryThreshold = 4

    func run() async throws -> Outcome {
        var silent: [Observation] = []
        var targets = hosts
        var probes = 0
        if discovery, hosts.count >= Self.discoveryThreshold {
            let probePorts = Array(Set(PortList.topPorts.prefix(100)).union(declaredPorts)).sorted()
            Terminal.writeError(
                "portwarden: discovery: \(hosts.count) addresses × \(probePorts.count) common and declared ports")
            let found = try await ScanRunner.run(
                hosts: hosts, ports: probePorts, configuration: configuration, syn: syn)
            probes += found.statistics.probesSent
            // A host is up when any port answered (SYN-ACK or RST); ICMP errors may come from a router.
            let answered = Set(found.observations.filter { $0.state == .open || $0.state == .closed }.map(\.host))
            targets = hosts.filter(answered.contains)
            silent = found.observations.filter { !answered.contains($0.host) }
            Terminal.writeError(
                "portwarden: discovery: \(targets.count) answered, \(hosts.count - targets.count) silent "
                    + "(kept as filtered evidence; --no-discovery scans every port of them too)")
        }
        var observations = silent
        if !targets.isEmpty {
            let result = try await ScanRunner.run(
                hosts: targets, ports: ports, configuration: configuration, syn: syn)
            probes += result.statistics.probesSent
            for host in result.statistics.tarpitHosts {
                Terminal.writeError(
                    "portwarden: \(host) answers on (nearly) every port: flagged as a tarpit or SYN proxy; its "
                        + "unprobed ports are kept as filtered/tarpit, not open")
            }
            observations += result.observations
        }
        if !udpPorts.isEmpty, !targets.isEmpty {
            let result = try await ScanRunner.runUDP(hosts: targets, ports: udpPorts, configuration: udpConfiguration)
            probes += result.statistics.datagramsSent
            observations += result.observations
        }
        if detection {
            let open = observations.filter { $0.state == .open && $0.transport == .tcp }.count
            if open > 0 {
                Terminal.writeError("portwarden: service detection on \(open) open port\(open == 1 ? "" : "s")")
                observations = await ServiceDetector().enrich(observations)
            }
        }
        return Outcome(
            observations: observations, hostsUp: targets.count, hostsSilent: hosts.count - targets.count,
            probesSent: probes)
    }
}
