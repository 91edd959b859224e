import PortwardenCore

/// The final reason of one (host, port) probe, stored as one byte per probe while the scan runs.
enum ProbeReason: UInt8, Sendable, CaseIterable {
    case synAck = 1
    case connectionRefused
    case noResponse
    case hostUnreachable
    case networkUnreachable
    case adminProhibited
    case protocolUnreachable
    case localPolicy
    case hostTimeout
    case connectionReset
    case localError
    case tarpit
    /// `connect()` itself failed with `ENETUNREACH`/`EHOSTUNREACH`: our own routing table has no
    /// way to the target. An error of the scan, never an observation (no network control acted).
    case noRoute

    /// The port state this reason concludes.
    var state: PortState {
        switch self {
        case .synAck: return .open
        case .connectionRefused, .connectionReset: return .closed
        default: return .filtered
        }
    }

    /// The reason text of the observation (nmap's vocabulary where it has one).
    var text: String {
        switch self {
        case .synAck: return "syn-ack"
        case .connectionRefused: return "conn-refused"
        case .noResponse: return "no-response"
        case .hostUnreachable: return "host-unreach"
        case .networkUnreachable: return "net-unreach"
        case .adminProhibited: return "admin-prohibited"
        case .protocolUnreachable: return "proto-unreach"
        case .localPolicy: return "local-policy"
        case .hostTimeout: return "host-timeout"
        case .connectionReset: return "reset"
        case .localError: return "local-error"
        case .tarpit: return "tarpit"
        case .noRoute: return "no-route"
        }
    }

    /// Whether the answer came from the target's TCP stack, so its delay is an RTT sample.
    var isRTTSample: Bool { self == .synAck || self == .connectionRefused || self == .connectionReset }

    /// Whether an ICMP error can produce this reason (ICMP port unreachable reads as
    /// `ECONNREFUSED`): the reasons a soft error read at a probe's deadline may settle.
    var isICMPError: Bool {
        switch self {
        case .connectionRefused, .hostUnreachable, .networkUnreachable, .adminProhibited, .protocolUnreachable:
            return true
        default:
            return false
        }
    }
}

/// What the engine does with the result of one connection attempt (docs/scanning.md).
enum ConnectOutcome: Equatable {
    /// The probe is final with this reason.
    case final(ProbeReason)
    /// Nothing came back: retry while allowed, then `filtered`/`no-response`.
    case silent
    /// Local resource pressure: put the probe back and shrink the window.
    case pressure(Int32)
    /// The local network is down: stop the scan.
    case abort

    /// Classifies an errno that `connect()` returned at once, before any packet could come back:
    /// "unreachable" then comes from our own routing table, not from the network.
    static func classifySynchronous(_ code: Int32) -> ConnectOutcome {
        typealias E = Kernel.Errno
        switch code {
        case E.hostUnreachable, E.networkUnreachable: return .final(.noRoute)
        default: return classify(code)
        }
    }

    /// Classifies the errno of `connect()` or `SO_ERROR` (0 means connected).
    static func classify(_ code: Int32) -> ConnectOutcome {
        typealias E = Kernel.Errno
        switch code {
        case 0: return .final(.synAck)
        case E.connectionRefused: return .final(.connectionRefused)
        case E.connectionReset: return .final(.connectionReset)
        case E.timedOut: return .silent
        case E.hostUnreachable, E.noNetwork: return .final(.hostUnreachable)
        case E.networkUnreachable: return .final(.networkUnreachable)
        case E.accessDenied: return .final(.adminProhibited)
        case E.noProtocolOption: return .final(.protocolUnreachable)
        case E.hostDown: return .final(.noResponse)
        case E.notPermitted: return .final(.localPolicy)
        case E.addressNotAvailable, E.tooManyFiles, E.tableFull, E.noBuffers, E.again:
            return .pressure(code)
        case E.networkDown: return .abort
        default: return .final(.localError)
        }
    }
}
