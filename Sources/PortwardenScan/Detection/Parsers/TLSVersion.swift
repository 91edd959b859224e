import PortwardenCore

/// A TLS (or SSL) protocol version that detection can pin a ClientHello to.
enum TLSVersion: UInt16, CaseIterable, Comparable, Sendable {
    case ssl3 = 0x0300
    case tls10 = 0x0301
    case tls11 = 0x0302
    case tls12 = 0x0303
    case tls13 = 0x0304

    /// The name recorded in `Observation.tls`.
    var name: String {
        switch self {
        case .ssl3: return "SSLv3"
        case .tls10: return "TLSv1.0"
        case .tls11: return "TLSv1.1"
        case .tls12: return "TLSv1.2"
        case .tls13: return "TLSv1.3"
        }
    }

    static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs.rawValue < rhs.rawValue }
}
