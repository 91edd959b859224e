import PortwardenCore

/// What ``ListenerInventory`` reads and where.
public struct InventoryOptions: Sendable {
    /// Every network namespace on the host (found through the processes in it), or only this
    /// process's own.
    public var allNamespaces: Bool
    /// The proc file system; tests point it at a fixture tree.
    public var procRoot: String
    /// The passwd file used to turn uids into names.
    public var etcPasswd: String
    /// Where `ip netns` keeps its named namespaces.
    public var netnsDirectory: String
    /// Listeners (and ephemeral-range UDP candidates) from the previous inventory: an unconnected
    /// UDP socket whose port is in the ephemeral range is kept as a listener only when the same
    /// namespace, address and port appear here. See ``InventoryReport/ephemeralUDP``.
    public var seenBefore: [Listener]

    /// Creates options.
    public init(
        allNamespaces: Bool = false, procRoot: String = "/proc", etcPasswd: String = "/etc/passwd",
        netnsDirectory: String = "/var/run/netns", seenBefore: [Listener] = []
    ) {
        self.allNamespaces = allNamespaces
        self.procRoot = procRoot
        self.etcPasswd = etcPasswd
        self.netnsDirectory = netnsDirectory
        self.seenBefore = seenBefore
    }
}
