import PortwardenCore

/// What a generated ruleset protects: one host (its input, and output for a CDE host) or a router
/// between the zones (its forward path).
public enum EnforcementTarget: Hashable, Sendable, CustomStringConvertible {
    case host(IPAddress)
    case router

    public var description: String {
        switch self {
        case .host(let address): return "host \(address)"
        case .router: return "router"
        }
    }
}
