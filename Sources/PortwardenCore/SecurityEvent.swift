#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A security event that port activity is correlated with: an IDS alert or anomaly (Suricata), or
/// an authentication result (sshd).
public struct SecurityEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case idsAlert = "ids-alert"
        case anomaly
        case authFailure = "auth-failure"
        case authSuccess = "auth-success"
    }

    public enum Origin: String, Hashable, Sendable, CaseIterable {
        case suricata
        case sshd
    }

    public var time: Date
    public var kind: Kind
    public var origin: Origin
    public var sourceAddress: IPAddress
    public var sourcePort: UInt16?
    /// The attacked or logged-into address, when the log names one (sshd logs name only the host).
    public var destinationAddress: IPAddress?
    public var destinationPort: UInt16?
    public var ipProtocol: UInt8?
    /// The account an authentication event names (`invalid user` attempts included).
    public var user: String?
    /// The alert signature or the authentication method (`password`, `publickey`).
    public var signature: String?
    public var signatureID: Int?
    /// Suricata's severity, 1 = highest.
    public var severity: Int?
    /// The sensor or host that wrote the log.
    public var sensor: String?
    /// Whether an IPS blocked the packet (`alert.action == "blocked"`).
    public var blocked: Bool

    public init(
        time: Date, kind: Kind, origin: Origin, sourceAddress: IPAddress, sourcePort: UInt16? = nil,
        destinationAddress: IPAddress? = nil, destinationPort: UInt16? = nil, ipProtocol: UInt8? = nil,
        user: String? = nil, signature: String? = nil, signatureID: Int? = nil, severity: Int? = nil,
        sensor: String? = nil, blocked: Bool = false
    ) {
        self.time = time
        self.kind = kind
        self.origin = origin
        self.sourceAddress = sourceAddress
        self.sourcePort = sourcePort
        self.destinationAddress = destinationAddress
        self.destinationPort = destinationPort
        self.ipProtocol = ipProtocol
        self.user = user
        self.signature = signature
        self.signatureID = signatureID
        self.severity = severity
        self.sensor = sensor
        self.blocked = blocked
    }
}
