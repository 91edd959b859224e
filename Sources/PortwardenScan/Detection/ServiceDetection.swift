import PortwardenCore

/// What service detection learned about one open TCP port.
public struct ServiceDetection: Sendable, Hashable {
    /// How `service` was concluded.
    public enum Method: String, Sendable, Hashable, Codable {
        /// A protocol probe identified the service.
        case probed
        /// Nothing answered conclusively; the name comes from the port-number table (a guess).
        case table
    }

    /// The service name, as nmap names it (`ssh`, `http`, `ms-wbt-server`, …); `nil` when unknown.
    public var service: String?
    /// The product a handshake named (`OpenSSH`, `vsftpd`, `nginx`, `Redis`), as `nmap -sV` names it.
    public var product: String?
    /// The product version a handshake named (`9.2p1`, `3.0.3`), when it showed one.
    public var version: String?
    /// What the handshakes showed beyond a verdict, keyed by topic (`ssh.weak`, `tls.ciphers`,
    /// `vnc.security-types`, …): the evidence a finding cites.
    public var details: [String: String]
    /// The first line of the banner the service sent unprompted, printable ASCII only.
    public var banner: String?
    /// TLS versions the service accepted (`SSLv3`, `TLSv1.0`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`), oldest first.
    public var tls: [String]
    /// Insecure-service handshake results keyed by rule id (`INS-TELNET`): `confirmed`, `not-matched` or
    /// `tls-available`, optionally followed by a detail in parentheses.
    /// Rules whose handshake was not run or was inconclusive are absent.
    public var handshakes: [String: String]
    /// `probed` or `table`.
    public var method: Method

    /// Creates a detection result.
    public init(
        service: String? = nil, product: String? = nil, version: String? = nil, banner: String? = nil,
        tls: [String] = [], handshakes: [String: String] = [:], details: [String: String] = [:],
        method: Method = .table
    ) {
        self.service = service
        self.product = product
        self.version = version
        self.details = details
        self.banner = banner
        self.tls = tls
        self.handshakes = handshakes
        self.method = method
    }
}

/// The handshake verdicts the evaluator reads from `Observation.handshakes`.
enum HandshakeVerdict: String {
    /// The handshake predicate matched: the insecure service is really there.
    case confirmed
    /// The handshake proved another protocol or a secure configuration.
    case notMatched = "not-matched"
    /// The service offers TLS, but refusing cleartext was not shown ("TLS available, enforcement
    /// unverified").
    case tlsAvailable = "tls-available"
}

extension ServiceDetection {
    /// Records a verdict for an insecure-service rule, with an optional detail kept as evidence
    /// (`confirmed (security types 1, 2)`).
    mutating func record(_ rule: String, _ verdict: HandshakeVerdict, detail: String? = nil) {
        handshakes[rule] = detail.map { "\(verdict.rawValue) (\($0))" } ?? verdict.rawValue
    }

    /// Marks the service as identified by a probe.
    mutating func identify(_ name: String, product: String? = nil) {
        service = name
        method = .probed
        if let product, !product.isEmpty { self.product = product }
    }

    /// Marks the service as identified and records the product and version a handshake named.
    mutating func identify(_ name: String, software: ProductVersion?) {
        identify(name, product: software?.product)
        if let version = software?.version, !version.isEmpty { self.version = version }
    }
}
