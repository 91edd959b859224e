#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One connection attempt or flow seen in a firewall or flow log, normalised from netfilter `LOG`
/// lines, Zeek `conn.log` or Suricata `eve.json`: who talked to whom, on which port, and whether
/// the network let it through.
public struct FlowEvent: Hashable, Sendable {
    /// What the log says the network did with the flow.
    public enum Verdict: String, Hashable, Sendable, CaseIterable {
        /// The flow was let through (an accept rule logged it, or the handshake completed).
        case allowed
        /// A firewall or IPS dropped or rejected it.
        case denied
        /// The log does not say (a netfilter prefix without a verdict word, a Zeek attempt).
        case unknown
    }

    /// Which kind of log the event came from.
    public enum Origin: String, Hashable, Sendable, CaseIterable {
        case netfilter
        case zeek
        case suricata
    }

    public var time: Date
    public var origin: Origin
    /// The IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, …).
    public var ipProtocol: UInt8
    public var sourceAddress: IPAddress
    /// `nil` for protocols without ports (ICMP).
    public var sourcePort: UInt16?
    public var destinationAddress: IPAddress
    public var destinationPort: UInt16?
    public var verdict: Verdict
    /// Whether the handshake completed (Zeek `conn_state` SF/S1/S2/S3/RSTO/RSTR, a Suricata flow
    /// that reached `established`); `nil` when the log cannot tell (a netfilter packet).
    public var established: Bool?
    /// The sensor or host that wrote the log (syslog host name, Suricata `host`), when known.
    public var sensor: String?
    /// The netfilter log prefix (`PW-DROP cde-db`), Zeek `uid` or Suricata `flow_id`.
    public var tag: String?
    /// ICMP type and code, for ICMP flows.
    public var icmpType: UInt8?
    public var icmpCode: UInt8?
    /// The Community ID flow hash (`1:…`), when the log carries one.
    public var communityID: String?

    public init(
        time: Date, origin: Origin, ipProtocol: UInt8, sourceAddress: IPAddress, sourcePort: UInt16? = nil,
        destinationAddress: IPAddress, destinationPort: UInt16? = nil, verdict: Verdict = .unknown,
        established: Bool? = nil, sensor: String? = nil, tag: String? = nil, icmpType: UInt8? = nil,
        icmpCode: UInt8? = nil, communityID: String? = nil
    ) {
        self.time = time
        self.origin = origin
        self.ipProtocol = ipProtocol
        self.sourceAddress = sourceAddress
        self.sourcePort = sourcePort
        self.destinationAddress = destinationAddress
        self.destinationPort = destinationPort
        self.verdict = verdict
        self.established = established
        self.sensor = sensor
        self.tag = tag
        self.icmpType = icmpType
        self.icmpCode = icmpCode
        self.communityID = communityID
    }

    /// The transport whose ports the policy declares, or `nil` for ICMP and other protocols.
    public var transport: Transport? {
        switch ipProtocol {
        case 6: return .tcp
        case 17: return .udp
        default: return nil
        }
    }
}
