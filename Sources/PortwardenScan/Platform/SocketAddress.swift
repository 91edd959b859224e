import CPortwardenLinux
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// An address and port as the kernel's `sockaddr`, for callers outside the scanner that open their own
/// sockets (the CLI's alert sinks): one conversion for the project, `Kernel.fill`.
public enum SocketAddress {
    /// Calls `body` with `address:port` as a `sockaddr` and the length of its structure.
    public static func with<T>(
        _ address: IPAddress, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T
    ) -> T {
        var storage = sockaddr_storage()
        let length = Kernel.fill(&storage, address: address, port: port)
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
