#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The state of a port as a probe or the host saw it.
public enum PortState: String, Hashable, Sendable, Codable, CaseIterable {
    case open
    case closed
    case filtered
    /// UDP: no answer, so the port may be open or filtered.
    case openFiltered = "open|filtered"
    case closedFiltered = "closed|filtered"
    case unfiltered

    /// Whether a service may be listening (open, or UDP silence).
    public var mayBeOpen: Bool { self == .open || self == .openFiltered }
}

/// Where an observation comes from.
public enum ObservationSource: String, Hashable, Sendable, Codable, CaseIterable {
    /// A network scan from a vantage zone.
    case scan
    /// The host's own listener inventory (/proc).
    case host
    /// Imported from another tool's output (nmap, masscan, osquery, ss).
    case `import`
    /// Seen in flow or firewall logs.
    case flow
}

/// One piece of observed evidence about a port: what state it was in, when, and as seen from where.
///
/// Its one serialisation is the observation line format (``ObservationLines`` writes it,
/// ``ObservationLineReader`` reads it; docs/formats.md documents it), used by `scan --format json`,
/// `inventory`, `import` and `check --observations`:
/// `{"time":"2026-11-29T10:00:00Z","host":"10.20.1.10","transport":"tcp","port":5432,"state":"open",…}`
public struct Observation: Hashable, Sendable {
    public var time: Date
    public var host: IPAddress
    public var transport: Transport
    public var port: UInt16
    public var state: PortState
    /// Why the state was concluded (`syn-ack`, `conn-refused`, `no-response`, `listening`, …).
    public var reason: String?
    public var source: ObservationSource
    /// The zone the probe was sent from (scans) or the host belongs to (host view).
    public var vantage: String?
    /// The service name detected or guessed (`ssh`, `postgresql`, …).
    public var service: String?
    /// TLS protocol versions the service accepted, when probed (`TLSv1.0`, `TLSv1.2`, …).
    public var tls: [String]?
    /// The executable that owns the listener (host view), e.g. `/usr/sbin/sshd`.
    public var process: String?
    /// Host view: where the socket is bound.
    public var bind: BindScope?
    /// Host view: the local address the socket is bound to.
    public var bindAddress: IPAddress?
    /// Host view: the network namespace (`net:[4026531840]` or a name).
    public var namespace: String?
    /// Host view: the user owning the process.
    public var user: String?
    /// Host view: the systemd unit.
    public var unit: String?
    /// Host view: the container id.
    public var container: String?
    /// Handshake results of service detection, keyed by insecure-service rule id (`INS-TELNET`)
    /// with the confidence (`confirmed`, `not-matched`).
    public var handshakes: [String: String]?
    /// Scans: the local address the probes to this host were sent from, so that an `allow-from`
    /// prefix can be judged against the real source and not only the vantage zone.
    public var sourceAddress: IPAddress?
    /// Service detection: the product a handshake named (`OpenSSH`, `nginx`, `Redis`).
    public var product: String?
    /// Service detection: the product version a handshake named (`9.2p1`, `1.22.1`).
    public var version: String?
    /// Service detection: what the handshakes showed beyond a verdict, keyed by topic, so that a
    /// finding can cite it (`vnc.security-types`: `1 None, 2 VNC Authentication`; `ssh.weak`,
    /// `tls.ciphers`, `tls.certificate`, `smtp.auth-before-starttls`, …).
    public var details: [String: String]?

    public init(
        time: Date, host: IPAddress, transport: Transport, port: UInt16, state: PortState, reason: String? = nil,
        source: ObservationSource = .scan, vantage: String? = nil, service: String? = nil, tls: [String]? = nil,
        process: String? = nil, bind: BindScope? = nil, bindAddress: IPAddress? = nil, namespace: String? = nil,
        user: String? = nil, unit: String? = nil, container: String? = nil, handshakes: [String: String]? = nil,
        sourceAddress: IPAddress? = nil, product: String? = nil, version: String? = nil,
        details: [String: String]? = nil
    ) {
        self.time = time
        self.host = host
        self.transport = transport
        self.port = port
        self.state = state
        self.reason = reason
        self.source = source
        self.vantage = vantage
        self.service = service
        self.tls = tls
        self.process = process
        self.bind = bind
        self.bindAddress = bindAddress
        self.namespace = namespace
        self.user = user
        self.unit = unit
        self.container = container
        self.handshakes = handshakes
        self.sourceAddress = sourceAddress
        self.product = product
        self.version = version
        self.details = details
    }
}
