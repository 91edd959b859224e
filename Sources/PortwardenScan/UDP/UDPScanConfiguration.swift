import PortwardenCore

/// The knobs of a UDP scan. The CLI prints the effective `maxRate` and `maxInFlight`: they are
/// different things (packets per second vs sockets waiting for an answer).
public struct UDPScanConfiguration: Sendable, Equatable {
    /// Probes waiting for an answer at once (one socket each), across all hosts.
    public var maxInFlight: Int
    /// Global cap on probes sent per second (a token bucket); `nil` for no cap. A probe is one
    /// port try: ports with several payloads (SNMP) send them together as one probe.
    public var maxRate: Int?
    /// Cap on probes per second to any one host; `nil` for none.
    ///
    /// Linux answers at most about one ICMP unreachable per second per destination after a burst
    /// of 6 (`net.ipv4.icmp_ratelimit` 1000 ms). Faster probing makes closed ports look silent
    /// (`open|filtered`), never open. Set this near 1 when closed vs `open|filtered` matters (slow:
    /// 1 000 ports take ~17 minutes per host); leave it `nil` to scan fast and accept
    /// `open|filtered` for closed ports whose ICMP answer was rate-limited. Open ports that answer
    /// with data are found either way.
    public var perHostRate: Int?
    /// The timeout before a host has RTT samples; later timeouts follow the host's RTT estimate.
    public var initialTimeout: Duration
    /// Bounds for the adaptive timeout.
    public var minTimeout: Duration
    public var maxTimeout: Duration
    /// Most retransmissions of a silent probe. A silent port gets one retransmission, more only
    /// when retransmissions have produced answers on that host (loss-driven, as nmap).
    public var maxRetries: Int
    /// After a first reply, how long to wait for the replies to a probe's other payloads (SNMP
    /// sends v1, v2c and v3 requests at once).
    public var replyGrace: Duration
    /// Seeds the probe order and the per-probe cookies, so that a scan is reproducible.
    public var seed: UInt64
    /// The zone the scan runs from, copied into each observation.
    public var vantage: String?
    /// SNMP communities to try with v1/v2c `GetRequest`s. Empty by default: Portwarden never
    /// guesses credentials; only communities the user configured are sent.
    public var snmpCommunities: [String]
    /// Whether to send protocol payloads (DNS, NTP, SNMP, …) or only empty datagrams.
    public var protocolPayloads: Bool
    /// A name outside the scanned servers' own zones to ask port 53 to resolve recursively (an
    /// `A` query with RD set): an answer with RA set that is not authoritative shows an open
    /// resolver (`INS-DNS-OPEN-RESOLVER`). `nil` by default: the target would resolve the name on
    /// our behalf, so only a name the user chose is ever asked.
    public var dnsRecursionName: String?
    /// SNMPv3 user names to ask port 161 for at noAuthNoPriv after the engine-discovery Report
    /// (`INS-SNMPV3-NOAUTH`, a second round trip). Empty by default: a user name is a credential,
    /// never guessed; only the names configured are sent.
    public var snmpV3Users: [String]

    /// Creates a configuration; every parameter has the documented default.
    public init(
        maxInFlight: Int = 256, maxRate: Int? = nil, perHostRate: Int? = nil,
        initialTimeout: Duration = .milliseconds(1000), minTimeout: Duration = .milliseconds(100),
        maxTimeout: Duration = .seconds(10), maxRetries: Int = 2, replyGrace: Duration = .milliseconds(250),
        seed: UInt64 = 0x5057_5544_5053_4544, vantage: String? = nil, snmpCommunities: [String] = [],
        protocolPayloads: Bool = true, dnsRecursionName: String? = nil, snmpV3Users: [String] = []
    ) {
        self.maxInFlight = maxInFlight
        self.maxRate = maxRate
        self.perHostRate = perHostRate
        self.initialTimeout = initialTimeout
        self.minTimeout = minTimeout
        self.maxTimeout = maxTimeout
        self.maxRetries = maxRetries
        self.replyGrace = replyGrace
        self.seed = seed
        self.vantage = vantage
        self.snmpCommunities = snmpCommunities
        self.protocolPayloads = protocolPayloads
        self.dnsRecursionName = dnsRecursionName
        self.snmpV3Users = snmpV3Users
    }

    /// Checks the values a scan cannot run with.
    /// - Throws: ``ScanError`` with code `configuration` naming the field.
    public func validate() throws(ScanError) {
        if maxInFlight < 1 { throw ScanError(.configuration, "UDP maxInFlight \(maxInFlight) < 1") }
        if let maxRate, maxRate < 1 { throw ScanError(.configuration, "UDP maxRate \(maxRate) < 1") }
        if let perHostRate, perHostRate < 1 {
            throw ScanError(.configuration, "UDP perHostRate \(perHostRate) < 1")
        }
        if maxRetries < 0 { throw ScanError(.configuration, "UDP maxRetries \(maxRetries) < 0") }
        if initialTimeout <= .zero || minTimeout <= .zero || maxTimeout < minTimeout {
            throw ScanError(
                .configuration,
                "UDP timeouts must be positive with minTimeout ≤ maxTimeout "
                    + "(initial \(initialTimeout), min \(minTimeout), max \(maxTimeout))")
        }
        for community in snmpCommunities where community.utf8.count > 255 || community.isEmpty {
            throw ScanError(.configuration, "UDP SNMP community of \(community.utf8.count) bytes")
        }
        // usmUserName is an SnmpAdminString of 1 to 32 octets (RFC 3414 §5).
        for user in snmpV3Users where user.utf8.count > 32 || user.isEmpty {
            throw ScanError(.configuration, "UDP SNMPv3 user name of \(user.utf8.count) bytes (1 to 32)")
        }
        if snmpV3Users.count > UDPPayloads.maxSNMPv3Users {
            throw ScanError(
                .configuration, "UDP \(snmpV3Users.count) SNMPv3 users (at most \(UDPPayloads.maxSNMPv3Users))")
        }
        if let name = dnsRecursionName, UDPPayloads.dnsLabels(name) == nil {
            throw ScanError(.configuration, "UDP DNS recursion name \"\(name)\" is not a host name")
        }
    }
}
