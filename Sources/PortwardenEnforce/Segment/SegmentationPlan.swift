import PortwardenCore

/// The zone a segmentation test probes and the hosts it probes in it.
public struct SegmentationTarget: Sendable {
    public var zone: Zone
    /// Every address of the zone's IPv4 prefixes, and the declared hosts of its IPv6 prefixes.
    public var hosts: [IPAddress]
    /// IPv6 prefixes too large to sweep (only their declared hosts are probed).
    public var notSwept: [Prefix]
}

/// What a segmentation test from one zone probes and what it expects: every allowed edge must
/// connect, everything else must be filtered (PCI DSS 11.4.5 support; reference/pci-dss.md §7).
public struct SegmentationPlan: Sendable {
    public let flows: FlowPlan
    public let vantage: Zone
    /// The address the probes leave from, checked to lie in the vantage zone.
    public let sourceAddress: IPAddress
    public let targets: [SegmentationTarget]
    public let tcpPorts: [UInt16]
    public let udpPorts: [UInt16]

    /// The UDP ports probed by default: common services (nmap's most frequent UDP ports) plus the
    /// UDP ports the policy declares in the target zones.
    public static let commonUDPPorts: [UInt16] = [
        53, 67, 68, 69, 111, 123, 135, 137, 138, 139, 161, 162, 445, 500, 514, 520, 623, 631, 1434, 1900, 4500, 5353,
        11211, 49152,
    ]

    /// The most hosts one test sweeps (all zones together).
    public static let maximumHosts = 1 << 16

    /// Builds the plan.
    /// - Parameters:
    ///   - flows: the policy's flows at the test's moment.
    ///   - vantage: the zone the test runs from.
    ///   - sourceAddress: the verified source address of the probes.
    ///   - allZones: probe every other zone, not only the CDE zones.
    ///   - tcpPorts: the TCP ports (usually all of 1-65535).
    ///   - udpPorts: the UDP ports; `nil` means the common ones plus the declared ones.
    /// - Throws: ``EnforceError`` when there is nothing to probe or too much.
    public init(
        flows: FlowPlan, vantage: Zone, sourceAddress: IPAddress, allZones: Bool, tcpPorts: [UInt16],
        udpPorts: [UInt16]?
    ) throws(EnforceError) {
        self.flows = flows
        self.vantage = vantage
        self.sourceAddress = sourceAddress
        var targets: [SegmentationTarget] = []
        var total = 0
        for zone in flows.zones where zone.id != vantage.id && (allZones || zone.isCDE) {
            var hosts: [IPAddress] = []
            var notSwept: [Prefix] = []
            for prefix in zone.prefixes {
                if prefix.isIPv4 {
                    total += Int(prefix.addressCount)
                    guard total <= Self.maximumHosts else {
                        throw EnforceError(
                            .tooManyTargets,
                            "the zones to probe hold more than \(Self.maximumHosts) addresses; test one zone pair at a time"
                        )
                    }
                    for value in prefix.first...prefix.last { hosts.append(IPAddress(value: value, isIPv4: true)) }
                } else {
                    notSwept.append(prefix)
                    let declared = flows.flows.filter { $0.zone == zone.id }.flatMap { $0.hosts ?? [] }
                    for host in declared where prefix.contains(host) && host.length == 128 {
                        hosts.append(host.network)
                    }
                }
            }
            targets.append(SegmentationTarget(zone: zone, hosts: Array(Set(hosts)).sorted(), notSwept: notSwept))
        }
        guard !targets.isEmpty else {
            throw EnforceError(
                .tooManyTargets,
                "zone \(vantage.id): the policy has no \(allZones ? "other" : "CDE") zone to probe from it")
        }
        self.targets = targets
        self.tcpPorts = tcpPorts
        var udp = Set(udpPorts ?? Self.commonUDPPorts)
        if udpPorts == nil {
            for flow in flows.flows where targets.contains(where: { $0.zone.id == flow.zone }) {
                for spec in flow.ports where spec.transport == .udp && spec.range.count <= 64 {
                    for port in spec.range.lower...spec.range.upper { udp.insert(port) }
                }
            }
        }
        self.udpPorts = udp.sorted()
    }

    /// Every host probed.
    public var hosts: [IPAddress] { targets.flatMap(\.hosts) }

    /// The zone a probed host belongs to.
    public func target(of host: IPAddress) -> SegmentationTarget? {
        targets.first { $0.zone.prefixes.contains { $0.contains(host) } }
    }

    /// The declared flow that allows the vantage's source to reach `host` on `transport/port`, if any.
    public func allowingFlow(host: IPAddress, transport: Transport, port: UInt16) -> DeclaredFlow? {
        flows.flows.first { flow in
            flow.ports.contains { $0.matches(transport, port) } && flows.isDestination(host, of: flow)
                && flows.isSource(sourceAddress, of: flow)
        }
    }
}
