import PortwardenCore

/// A network namespace: its inode (`net:[4026531840]`) and, when `ip netns` named it, that name.
public struct NamespaceRef: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The inode of `/proc/<pid>/ns/net`; 0 when unknown (imports).
    public var inode: UInt64
    /// The `ip netns` name (a file in /var/run/netns with the same inode), when there is one.
    public var name: String?

    /// Creates a reference.
    public init(inode: UInt64, name: String? = nil) {
        self.inode = inode
        self.name = name
    }

    /// The name when there is one, else `net:[inode]`.
    public var description: String { name ?? "net:[\(inode)]" }

    public static func < (lhs: NamespaceRef, rhs: NamespaceRef) -> Bool {
        lhs.inode != rhs.inode ? lhs.inode < rhs.inode : lhs.description < rhs.description
    }
}
