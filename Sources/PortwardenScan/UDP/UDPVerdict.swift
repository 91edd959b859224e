import PortwardenCore

/// What one UDP probe concluded about its port: a state and the reason for it (nmap's reason
/// names where they exist).
struct UDPVerdict: Equatable, Sendable {
    var state: PortState
    var reason: String

    /// A datagram came back.
    static let response = UDPVerdict(state: .open, reason: "udp-response")
    /// Silence after every allowed try.
    static let silence = UDPVerdict(state: .openFiltered, reason: "no-response")
    /// ICMP port unreachable.
    static let portUnreachable = UDPVerdict(state: .closed, reason: "port-unreach")

    /// Classifies an error-queue entry.
    /// - Returns: `nil` for entries that say nothing about the port (a local `EMSGSIZE`, an ICMP
    ///   type the scanner does not interpret), so the probe keeps waiting.
    static func classify(_ entry: UDPErrorQueueEntry) -> UDPVerdict? {
        switch entry.origin {
        case UDPErrorQueueEntry.originICMP: return classifyICMPv4(type: entry.type, code: entry.code)
        case UDPErrorQueueEntry.originICMP6: return classifyICMPv6(type: entry.type, code: entry.code)
        case UDPErrorQueueEntry.originLocal: return classify(errno: entry.errno)
        default: return nil
        }
    }

    /// ICMPv4 destination unreachable (type 3) and time exceeded (type 11), RFC 792 / RFC 1812.
    static func classifyICMPv4(type: UInt8, code: UInt8) -> UDPVerdict? {
        if type == 11 { return UDPVerdict(state: .filtered, reason: "time-exceeded") }
        guard type == 3 else { return nil }
        let reasons: [UInt8: String] = [
            0: "net-unreach", 1: "host-unreach", 2: "proto-unreach", 4: "needfrag", 5: "srcroute-failed",
            6: "net-unknown", 7: "host-unknown", 8: "host-isolated", 9: "net-prohibited", 10: "host-prohibited",
            11: "net-tos-unreach", 12: "host-tos-unreach", 13: "admin-prohibited", 14: "host-precedence-violation",
            15: "precedence-cutoff",
        ]
        if code == 3 { return .portUnreachable }
        return UDPVerdict(state: .filtered, reason: reasons[code] ?? "icmp-unreach-\(code)")
    }

    /// ICMPv6 destination unreachable (type 1) and time exceeded (type 3), RFC 4443.
    static func classifyICMPv6(type: UInt8, code: UInt8) -> UDPVerdict? {
        if type == 3 { return UDPVerdict(state: .filtered, reason: "time-exceeded") }
        guard type == 1 else { return nil }
        let reasons: [UInt8: String] = [
            0: "net-unreach", 1: "admin-prohibited", 2: "beyond-scope", 3: "host-unreach", 5: "failed-policy",
            6: "reject-route",
        ]
        if code == 4 { return .portUnreachable }
        return UDPVerdict(state: .filtered, reason: reasons[code] ?? "icmp6-unreach-\(code)")
    }

    /// Classifies an errno from `send`/`recv` when no error-queue entry explains it.
    /// - Returns: `nil` for local resource pressure (`EAGAIN`, `ENOBUFS`, …): retry, not a state.
    static func classify(errno code: Int32) -> UDPVerdict? {
        typealias E = Kernel.Errno
        switch code {
        case E.connectionRefused: return .portUnreachable
        case E.hostUnreachable: return UDPVerdict(state: .filtered, reason: "host-unreach")
        case E.networkUnreachable: return UDPVerdict(state: .filtered, reason: "net-unreach")
        case E.accessDenied: return UDPVerdict(state: .filtered, reason: "admin-prohibited")
        case E.noProtocolOption: return UDPVerdict(state: .filtered, reason: "proto-unreach")
        case E.hostDown: return UDPVerdict(state: .filtered, reason: "host-unreach")
        // Our own host's output firewall refused the packet: the port was never tested.
        case E.notPermitted: return UDPVerdict(state: .filtered, reason: "local-policy")
        default: return nil
        }
    }
}
