import PortwardenCore

/// The final reason of one (host, port) SYN probe, stored as one byte per probe while the scan
/// runs (0 means still pending).
enum SYNReason: UInt8, Sendable, CaseIterable {
    case synAck = 1
    case reset
    case noResponse
    case networkUnreachable
    case hostUnreachable
    case protocolUnreachable
    case portUnreachable
    case adminProhibited
    case otherUnreachable
    case localPolicy
    case hostTimeout
    case localError
    /// The host was flagged as a tarpit / wildcard responder and this port was not probed.
    case tarpit

    /// The port state this reason concludes.
    var state: PortState {
        switch self {
        case .synAck: return .open
        case .reset: return .closed
        default: return .filtered
        }
    }

    /// The reason text of the observation (nmap's vocabulary).
    var text: String {
        switch self {
        case .synAck: return "syn-ack"
        case .reset: return "reset"
        case .noResponse: return "no-response"
        case .networkUnreachable: return "net-unreach"
        case .hostUnreachable: return "host-unreach"
        case .protocolUnreachable: return "proto-unreach"
        case .portUnreachable: return "port-unreach"
        case .adminProhibited: return "admin-prohibited"
        case .otherUnreachable: return "unreachable"
        case .localPolicy: return "local-policy"
        case .hostTimeout: return "host-timeout"
        case .localError: return "local-error"
        case .tarpit: return "tarpit"
        }
    }

    /// The reason an ICMP destination-unreachable code (RFC 792, 1122, 1812) concludes.
    static func unreachable(code: UInt8) -> SYNReason {
        switch code {
        case 0, 6, 11: return .networkUnreachable
        case 1, 7, 12: return .hostUnreachable
        case 2: return .protocolUnreachable
        case 3: return .portUnreachable
        case 9, 10, 13: return .adminProhibited
        default: return .otherUnreachable
        }
    }
}
