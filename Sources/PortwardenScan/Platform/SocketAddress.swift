import CPortwardenLinux
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// An address and port as the kernel's `sockaddr`, for callers outside the scanner that open their own
/// sockets (the CLI's alert sinks and syslog receiver): one conversion for the project, `Kernel.fill`.
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

    /// `accept` on a listening socket.
    /// - Returns: the new descriptor (-1 with `errno` set) and the peer's address and port.
    public static func accept(_ fd: Int32) -> (fd: Int32, peer: (address: IPAddress, port: UInt16)?) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = Kernel.withSocketAddress(&storage) { Glibc.accept(fd, $0, &length) }
        return (client, client >= 0 ? withUnsafeBytes(of: storage) { Kernel.address(fromSocketAddress: $0) } : nil)
    }

    /// `recvfrom` into `buffer` with `flags`.
    /// - Returns: what `recvfrom` returned (-1 with `errno` set; with `MSG_TRUNC`, a datagram's whole length) and
    ///   the sender's address and port.
    public static func receive(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: Int32
    ) -> (count: Int, peer: (address: IPAddress, port: UInt16)?) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = Kernel.withSocketAddress(&storage) {
            recvfrom(fd, buffer.baseAddress, buffer.count, flags, $0, &length)
        }
        return (count, count >= 0 ? withUnsafeBytes(of: storage) { Kernel.address(fromSocketAddress: $0) } : nil)
    }
}
