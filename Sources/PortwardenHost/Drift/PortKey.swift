import PortwardenCore

/// The identity of a listening port for drift: namespace, transport, port and address family.
///
/// The bind scope and the owners are what can *change* about a port (``PortView``); the pid is
/// never part of either, so a restart is not a change.
public struct PortKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The namespace's name or `net:[inode]`.
    public var namespace: String
    /// TCP or UDP.
    public var transport: Transport
    /// The port number.
    public var port: UInt16
    /// `ipv4` or `ipv6`.
    public var family: String

    /// Creates a key.
    public init(namespace: String, transport: Transport, port: UInt16, family: String) {
        self.namespace = namespace
        self.transport = transport
        self.port = port
        self.family = family
    }

    /// The key of a listener.
    public init(_ listener: Listener) {
        self.init(
            namespace: listener.namespace.description, transport: listener.transport, port: listener.port,
            family: listener.address.isIPv4 ? "ipv4" : "ipv6")
    }

    /// `tcp/22 ipv4 in net:[4026531840]`.
    public var description: String { "\(transport.rawValue)/\(port) \(family) in \(namespace)" }

    public static func < (lhs: PortKey, rhs: PortKey) -> Bool {
        (lhs.namespace, lhs.transport.rawValue, lhs.port, lhs.family)
            < (rhs.namespace, rhs.transport.rawValue, rhs.port, rhs.family)
    }
}

/// Where a port is bound: the scope and the address.
public struct PortBinding: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Wildcard, loopback or address.
    public var scope: BindScope
    /// The bound address.
    public var address: IPAddress

    /// Creates a binding.
    public init(scope: BindScope, address: IPAddress) {
        self.scope = scope
        self.address = address
    }

    /// `wildcard 0.0.0.0`.
    public var description: String { "\(scope.rawValue) \(address)" }

    public static func < (lhs: PortBinding, rhs: PortBinding) -> Bool {
        lhs.scope.rawValue != rhs.scope.rawValue ? lhs.scope.rawValue < rhs.scope.rawValue : lhs.address < rhs.address
    }
}

/// Everything drift compares about one port: where it is bound and who owns it (no pids).
public struct PortView: Hashable, Sendable, Codable {
    /// The port's identity.
    public var key: PortKey
    /// Its bindings, sorted.
    public var bindings: [PortBinding]
    /// Its owners' identities (executable, unit, container), sorted; empty when unknown.
    public var owners: [OwnerIdentity]

    /// Creates a view.
    public init(key: PortKey, bindings: [PortBinding], owners: [OwnerIdentity]) {
        self.key = key
        self.bindings = bindings
        self.owners = owners
    }
}
