import PortwardenCore

/// How service detection probes open ports: how many at once, how long to wait, and which
/// optional checks to run.
public struct DetectionConfiguration: Sendable {
    /// The most ports probed at the same time (one thread each). At least 1.
    public var concurrency: Int
    /// How long a TCP connect may take before the port is given up on.
    public var connectTimeout: Duration
    /// How long to wait for each reply once connected.
    public var readTimeout: Duration
    /// How long the NULL probe waits for a server-speaks-first banner (capped by `readTimeout`).
    public var bannerTimeout: Duration
    /// SNMP community strings to try. Only configured strings are ever sent: detection never guesses
    /// credentials. (SNMP is UDP; the TCP detector only carries the setting for the UDP prober.)
    public var snmpCommunities: [String]
    /// Whether to probe each TLS version (SSLv3 … TLS 1.3) on ports that speak TLS.
    public var tlsVersions: Bool
    /// Zones to ask DNS servers on tcp/53 to transfer (AXFR), one connection each: NOERROR with the
    /// zone's SOA first confirms `INS-DNS-AXFR`. Empty by default: only zones the user named are ever
    /// asked for, and only the first message of a transfer is read.
    public var dnsTransferZones: [String]

    /// Creates a configuration; the defaults suit a scan of a few hundred open ports.
    public init(
        concurrency: Int = 32, connectTimeout: Duration = .seconds(3), readTimeout: Duration = .seconds(5),
        bannerTimeout: Duration = .seconds(2), snmpCommunities: [String] = [], tlsVersions: Bool = true,
        dnsTransferZones: [String] = []
    ) {
        self.concurrency = max(1, concurrency)
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.bannerTimeout = bannerTimeout
        self.snmpCommunities = snmpCommunities
        self.tlsVersions = tlsVersions
        self.dnsTransferZones = dnsTransferZones
    }

    /// Checks the values detection cannot run with.
    /// - Throws: `ScanError(.configuration)` for a transfer zone that is not a domain name.
    public func validate() throws {
        for zone in dnsTransferZones where UDPPayloads.dnsLabels(zone) == nil {
            throw ScanError(.configuration, "DNS transfer zone \"\(zone)\" is not a domain name")
        }
    }

    /// The NULL-probe wait: `bannerTimeout`, but never longer than `readTimeout`.
    var effectiveBannerTimeout: Duration { min(bannerTimeout, readTimeout) }
}
