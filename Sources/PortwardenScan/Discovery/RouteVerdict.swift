import PortwardenCore

/// What this machine's own routing table says about one target, before any probe is sent.
enum RouteVerdict: Hashable, Sendable {
    /// Probes would leave from this local address.
    case source(IPAddress)
    /// Our own stack cannot send there: an error of the scan for that target, not evidence.
    case unreachable(String)

    /// Looks the route up (nothing is sent).
    static func lookUp(_ host: IPAddress) -> RouteVerdict {
        switch Kernel.routeSource(to: host) {
        case .success(let source): return .source(source)
        case .failure(let failure): return .unreachable(reason(errno: failure.code, host: host))
        }
    }

    /// The text for a failed route lookup: what the local stack said and what to check.
    static func reason(errno code: Int32, host: IPAddress) -> String {
        typealias E = Kernel.Errno
        let check = "check the routing table (ip route get \(host)), that this scan runs from the intended vantage, "
        switch code {
        case E.networkUnreachable:
            return "no route from this machine (ENETUNREACH from the local stack): " + check
                + "and that an interface on the path is up"
        case E.hostUnreachable:
            return "the local routing table marks it unreachable (EHOSTUNREACH from the local stack): " + check
                + "and remove or fix the unreachable route"
        case E.accessDenied:
            return "the local routing table prohibits it (EACCES, a prohibit route): " + check
                + "and remove or fix the prohibit route"
        case E.invalidArgument:
            return "the local routing table sends it to a blackhole (EINVAL): " + check
                + "and remove or fix the blackhole route"
        case E.addressNotAvailable:
            return "no usable local source address (EADDRNOTAVAIL): " + check
                + "and that the source address belongs to this machine"
        default:
            return "the local route lookup failed (\(Kernel.describe(errno: code))): " + check
                + "and the source address"
        }
    }
}
