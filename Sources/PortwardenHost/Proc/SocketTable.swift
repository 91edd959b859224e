import PortwardenCore

/// The four /proc/net socket tables and which of their rows are listeners.
enum SocketTable {
    /// File name, transport and family of each table.
    static let all: [(String, Transport, Bool)] = [
        ("tcp", .tcp, false), ("tcp6", .tcp, true), ("udp", .udp, false), ("udp6", .udp, true),
    ]

    /// The listener a row stands for: TCP in LISTEN; UDP unconnected (state 07) with a zero
    /// remote address and port. `nil` for every other row.
    static func listener(_ entry: ProcSocketEntry, transport: Transport, namespace: NamespaceRef) -> Listener? {
        guard entry.localPort != 0 else { return nil }
        switch transport {
        case .tcp:
            guard entry.state == ProcNetTable.listenState else { return nil }
        case .udp:
            guard entry.state == ProcNetTable.unconnectedState, entry.remote.isUnspecified, entry.remotePort == 0
            else { return nil }
        }
        return Listener(
            transport: transport, address: entry.local, port: entry.localPort, namespace: namespace,
            inode: entry.inode)
    }
}
