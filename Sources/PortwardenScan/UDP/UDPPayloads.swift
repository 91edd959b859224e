import PortwardenCore

/// The datagrams a UDP probe sends per port, and the recognisers of the replies.
///
/// Many UDP services ignore an empty datagram, so a port with a known protocol gets a request of
/// that protocol, written here from the protocol's specification (not copied from nmap's payload
/// file). Where the protocol allows it, the request carries the probe's 16-bit `cookie` (DNS id,
/// NTP transmit timestamp, SNMP request id, memcached request id, IPMI sequence), and the
/// recogniser checks it when it is given, so a stray datagram is not taken for an answer.
///
/// | port | protocol | request | handshake id confirmed by a reply |
/// |---|---|---|---|
/// | 53 | DNS | `version.bind` CHAOS TXT; with a configured name, a recursive `A` query for it | `INS-DNS-OPEN-RESOLVER` (answered with RA, not authoritative) |
/// | 69 | TFTP | RRQ for a non-existent name | `INS-TFTP` (ERROR or DATA) |
/// | 123 | NTP | mode 3 client request; mode 6 READSTAT; mode 7 monlist | `INS-NTP-MODE6` (READSTAT answered), `INS-NTP-MODE7` (monlist answered) |
/// | 137 | NetBIOS-NS | NBSTAT `*` | `INS-NETBIOS` (a name table) |
/// | 161 | SNMP | v1 + v2c `GetRequest sysDescr.0` per configured community; v3 discovery, then per configured v3 user a noAuthNoPriv `GetRequest` (``followUp(port:reply:cookie:configuration:)``) | `INS-SNMPV12` (v1/v2c response); `INS-SNMP-DEFAULT-COMMUNITY` (under `public`/`private`); `INS-SNMPV3-NOAUTH` (second round trip, ``recogniseFollowUp(port:reply:cookie:configuration:)``) |
/// | 623 | IPMI/RMCP | Get Channel Authentication Capabilities | `INS-IPMI` |
/// | 1900 | SSDP | `M-SEARCH ssdp:all` | — |
/// | 5353 | mDNS | `_services._dns-sd._udp.local` PTR | `INS-AVAHI` |
/// | 11211 | memcached | UDP frame + `version` | `INS-MEMCACHED` |
///
/// Syslog (514) has no request that makes a server answer, and any datagram we sent would land
/// in the target's logs, so it gets the generic empty datagram like every other port: an open
/// syslog port stays `open|filtered`, a closed one is still told apart by its ICMP answer.
public enum UDPPayloads {
    /// The ports with a protocol request of their own.
    public static let protocolPorts: Set<UInt16> = [53, 69, 123, 137, 161, 623, 1900, 5353, 11211]

    /// The first protocol datagram for `port`.
    /// - Parameters:
    ///   - port: the destination port.
    ///   - communities: the configured SNMP communities (v1/v2c requests are built for these only).
    ///   - cookie: the probe's cookie, embedded where the protocol allows.
    /// - Returns: the datagram, or `nil` when the port has no protocol request (send an empty one).
    public static func payload(for port: UInt16, communities: [String], cookie: UInt16) -> [UInt8]? {
        payloads(for: port, communities: communities, cookie: cookie).first
    }

    /// Every protocol datagram for `port` (SNMP and NTP send several); empty when the port has none.
    ///   - recursionName: a name to ask a DNS server to resolve recursively (see
    ///     ``UDPScanConfiguration/dnsRecursionName``); `nil` asks none.
    public static func payloads(
        for port: UInt16, communities: [String], cookie: UInt16, recursionName: String? = nil
    ) -> [[UInt8]] {
        switch port {
        case 53: return [dnsVersionQuery(cookie: cookie)] + dnsRecursiveQuery(recursionName, cookie: cookie)
        case 69: return [tftpReadRequest(cookie: cookie)]
        case 123: return ntpRequests(cookie: cookie)
        case 137: return [netbiosNodeStatusQuery(cookie: cookie)]
        case 161: return snmpRequests(communities: communities, cookie: cookie)
        case 623: return [ipmiChannelAuthCapabilities(cookie: cookie)]
        case 1900: return [ssdpSearch()]
        case 5353: return [mdnsServicesQuery(cookie: cookie)]
        case 11211: return [memcachedVersion(cookie: cookie)]
        default: return []
        }
    }

    /// Recognises a reply to the request of `port`.
    /// - Parameters:
    ///   - port: the port the request went to.
    ///   - reply: the datagram received; any bytes, never trusted.
    ///   - cookie: the probe's cookie; when given, a reply that does not echo it is not recognised.
    /// - Returns: the service name (nmap's names) and the insecure-service handshakes the reply
    ///   confirms (none, one, or more), or `nil` when the reply is not that protocol's answer.
    public static func recognise(
        port: UInt16, reply: [UInt8], cookie: UInt16? = nil
    ) -> (
        service: String, handshakes: [String]
    )? {
        switch port {
        case 53: return recogniseDNS(reply, cookie: cookie)
        case 69: return recogniseTFTP(reply)
        case 123: return recogniseNTP(reply, cookie: cookie)
        case 137: return recogniseNetBIOS(reply, cookie: cookie)
        case 161: return recogniseSNMP(reply, cookie: cookie)
        case 623: return recogniseIPMI(reply, cookie: cookie)
        case 1900: return recogniseSSDP(reply)
        case 5353: return recogniseMDNS(reply, cookie: cookie)
        case 11211: return recogniseMemcached(reply, cookie: cookie)
        default: return nil
        }
    }

    /// Whether the protocol on `port` answers from another source port than the one asked (TFTP
    /// replies from a fresh transfer port), so the probe socket must not be connected.
    public static func repliesFromOtherPort(_ port: UInt16) -> Bool { port == 69 }

    /// A big-endian 16-bit field.
    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    /// Reads a big-endian 16-bit field, or `nil` past the end.
    static func readBE16(_ bytes: [UInt8], _ offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
