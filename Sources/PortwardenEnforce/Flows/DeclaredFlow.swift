import PortwardenCore

/// Who a declared flow comes from: a zone's prefixes, one address block, or anyone.
public enum FlowSource: Hashable, Sendable, Comparable, CustomStringConvertible {
    case zone(String)
    case prefix(Prefix)
    case any

    public var description: String {
        switch self {
        case .zone(let id): return id
        case .prefix(let prefix): return prefix.description
        case .any: return "any"
        }
    }

    public static func < (lhs: FlowSource, rhs: FlowSource) -> Bool { lhs.sortKey < rhs.sortKey }

    private var sortKey: String {
        switch self {
        case .zone(let id): return "0" + id
        case .prefix(let prefix): return "1" + prefix.description
        case .any: return "2"
        }
    }
}

/// One allowed edge of the policy: from these sources to these destinations on these ports,
/// because of a service or an exception that holds at the moment the plan was made.
public struct DeclaredFlow: Hashable, Sendable {
    /// The policy object that declares the flow.
    public enum Origin: Hashable, Sendable {
        case service(String)
        case exception(String, expires: CalendarDay?)

        /// The service or exception id.
        public var id: String {
            switch self {
            case .service(let id), .exception(let id, _): return id
            }
        }

        /// Whether an exception declares the flow.
        public var isException: Bool {
            if case .exception = self { return true }
            return false
        }
    }

    public var origin: Origin
    /// The zone the destination hosts belong to.
    public var zone: String
    /// The destination hosts; `nil` means every address of the zone.
    public var hosts: [Prefix]?
    public var sources: [FlowSource]
    public var ports: [PortSpec]

    public init(origin: Origin, zone: String, hosts: [Prefix]?, sources: [FlowSource], ports: [PortSpec]) {
        self.origin = origin
        self.zone = zone
        self.hosts = hosts
        self.sources = sources
        self.ports = ports
    }

    /// The transports the flow uses, in order.
    public var transports: [Transport] { Array(Set(ports.map(\.transport))).sorted() }

    /// The port numbers of one transport as an interval set.
    public func portSet(_ transport: Transport) -> IntervalSet {
        IntervalSet(
            ports.filter { $0.transport == transport }.map { UInt128($0.range.lower)...UInt128($0.range.upper) })
    }
}
