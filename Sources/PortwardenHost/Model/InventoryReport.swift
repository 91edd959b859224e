import PortwardenCore

/// The result of one inventory: the listeners, and everything that kept it from being complete.
public struct InventoryReport: Hashable, Sendable {
    /// Every listener, sorted by namespace, transport, port and address.
    public var listeners: [Listener]
    /// Malformed lines, unreadable files, processes that exited mid-scan, unknown owners.
    public var problems: [Diagnostic]
    /// Whether some processes' fd directories could not be read (not root, hidepid, LSM), so
    /// some owners are unknown.
    public var unprivileged: Bool
    /// How many listeners have no known owner.
    public var socketsWithoutOwner: Int
    /// Unconnected UDP sockets on a port in `ip_local_port_range` that were not seen before:
    /// probably client-side ephemeral binds, not listeners. Pass them back through
    /// ``InventoryOptions/seenBefore`` next time: one still there then is a listener.
    public var ephemeralUDP: [Listener]
    /// The namespaces that were read.
    public var namespaces: [NamespaceRef]

    /// Creates a report.
    public init(
        listeners: [Listener], problems: [Diagnostic] = [], unprivileged: Bool = false,
        socketsWithoutOwner: Int = 0, ephemeralUDP: [Listener] = [], namespaces: [NamespaceRef] = []
    ) {
        self.listeners = listeners
        self.problems = problems
        self.unprivileged = unprivileged
        self.socketsWithoutOwner = socketsWithoutOwner
        self.ephemeralUDP = ephemeralUDP
        self.namespaces = namespaces
    }
}
