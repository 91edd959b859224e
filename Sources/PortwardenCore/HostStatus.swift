/// What a scan concluded about one target before (or instead of) scanning its ports.
public enum HostStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Something answered (any discovery method, or a port of the scan): scanned in full.
    case up
    /// Every discovery method was tried and nothing answered. Its ports were not scanned.
    case down
    /// Our own stack could not send to it (no route, network unreachable locally, a source
    /// address that is not ours): an error of the scan, never evidence about the network.
    case unreachable
    /// Scanned without a discovery pass (discovery off or too few targets): up or not, every
    /// port was probed.
    case scanned
    /// The scan stopped (interrupted, failed) before this host was finished.
    case unfinished
}

/// The method that showed a host to be up.
public enum HostDiscoveryMethod: String, Hashable, Sendable, Codable, CaseIterable {
    /// ICMP echo request answered (echo reply, or an ICMP error sent by the host itself).
    case icmpEcho = "icmp-echo"
    /// ICMP timestamp request answered.
    case icmpTimestamp = "icmp-timestamp"
    /// A raw TCP SYN answered with SYN-ACK or RST.
    case tcpSyn = "tcp-syn"
    /// A raw TCP ACK answered with RST.
    case tcpAck = "tcp-ack"
    /// ARP on a directly attached IPv4 segment resolved the address.
    case arp
    /// IPv6 neighbour discovery on a directly attached segment resolved the address.
    case neighbor = "nd"
    /// A TCP connect() was accepted or refused by the host.
    case tcpConnect = "tcp-connect"
    /// A port of the full scan answered (no discovery pass ran).
    case portScan = "port-scan"
}
