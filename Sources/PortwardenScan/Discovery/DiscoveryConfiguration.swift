import PortwardenCore

/// How host discovery looks for live hosts before the port scan (scanning.md, host discovery).
public struct DiscoveryConfiguration: Sendable, Hashable {
    /// Send ICMP echo (and, over a raw IPv4 socket, timestamp) requests.
    public var icmp = true
    /// Rounds of ICMP requests to hosts that have not answered yet.
    public var icmpRounds = 2
    /// How long to wait for ICMP answers after the last request of a round.
    public var icmpWait: Duration = .milliseconds(1000)
    /// Read the kernel's neighbour table after the probes: an address that answered ARP on a
    /// directly attached segment is up even when it drops every IP packet.
    public var neighbourTable = true
    /// TCP ports tried with `connect()` on hosts no ICMP answer showed up (a SYN-ACK or a RST
    /// from any of them makes the host up). 443 and 80 come first, as in nmap's default pings.
    public var tcpPorts: [UInt16] = [443, 80]
    /// The connect engine settings for those TCP pings (retries and tarpit detection are reduced).
    public var connect = ScanConfiguration.default
    /// The most ICMP requests per second (`nil`: no cap beyond a short pause every 64 requests).
    public var maxRate: Int? = nil

    /// Creates the default configuration.
    public init() {}

    /// The methods this configuration tries, in order.
    public var methods: [HostDiscoveryMethod] {
        var out: [HostDiscoveryMethod] = []
        if icmp { out += [.icmpEcho, .icmpTimestamp] }
        if !tcpPorts.isEmpty { out.append(.tcpConnect) }
        if neighbourTable { out.append(.arp) }
        return out
    }
}
