import PortwardenCore

/// One listening socket: a TCP socket in LISTEN or an unconnected UDP socket that serves a port,
/// with the processes that hold it.
public struct Listener: Hashable, Sendable, Codable {
    /// TCP or UDP (the address says whether it is the IPv4 or IPv6 table).
    public var transport: Transport
    /// The local address the socket is bound to (`0.0.0.0`/`::` for a wildcard bind).
    public var address: IPAddress
    /// The local port.
    public var port: UInt16
    /// Where the socket is bound: wildcard, loopback or one specific address.
    public var bind: BindScope
    /// The network namespace the socket lives in.
    public var namespace: NamespaceRef
    /// The processes holding the socket (several for forked workers); empty when unknown.
    public var owners: [ProcessOwner]
    /// The socket inode (0 when imported from a tool that does not report it).
    public var inode: UInt64
    /// The device the socket is bound to (`SO_BINDTODEVICE`, `%lo` in `ss`), when known.
    public var device: String?

    /// Creates a listener; `bind` defaults to the scope of `address` (and `device`).
    public init(
        transport: Transport, address: IPAddress, port: UInt16, bind: BindScope? = nil,
        namespace: NamespaceRef, owners: [ProcessOwner] = [], inode: UInt64 = 0, device: String? = nil
    ) {
        self.transport = transport
        self.address = address
        self.port = port
        self.bind = bind ?? BindScope.of(address, device: device)
        self.namespace = namespace
        self.owners = owners
        self.inode = inode
        self.device = device
    }

    /// The owner that names the listener: the lowest pid with a known executable, else the lowest pid.
    public var primaryOwner: ProcessOwner? {
        let sorted = owners.sorted { $0.pid < $1.pid }
        return sorted.first { $0.executable != nil } ?? sorted.first
    }

    /// `tcp 0.0.0.0:22` / `udp [::1]:53`.
    public var endpoint: String {
        address.isIPv4 ? "\(transport.rawValue) \(address):\(port)" : "\(transport.rawValue) [\(address)]:\(port)"
    }
}

extension Listener: Comparable {
    /// Orders by namespace, transport, port, family and address, so that reports are stable.
    public static func < (lhs: Listener, rhs: Listener) -> Bool {
        if lhs.namespace != rhs.namespace { return lhs.namespace < rhs.namespace }
        if lhs.transport != rhs.transport { return lhs.transport < rhs.transport }
        if lhs.port != rhs.port { return lhs.port < rhs.port }
        if lhs.address != rhs.address { return lhs.address < rhs.address }
        return lhs.inode < rhs.inode
    }
}

extension BindScope {
    /// The scope of a socket bound to `address`: wildcard for `0.0.0.0`/`::`, loopback for
    /// 127/8, `::1` and `::ffff:127.x`, otherwise one specific address. A wildcard socket bound to
    /// the `lo` device (`0.0.0.0%lo`) is loopback.
    public static func of(_ address: IPAddress, device: String? = nil) -> BindScope {
        let mappedV4 = !address.isIPv4 && address.value >> 32 == 0xFFFF
        if address.isLoopback || (mappedV4 && (address.value >> 24) & 0xFF == 127) { return .loopback }
        if address.isUnspecified || (mappedV4 && address.value & 0xFFFF_FFFF == 0) {
            return device == "lo" ? .loopback : .wildcard
        }
        return .address
    }
}
