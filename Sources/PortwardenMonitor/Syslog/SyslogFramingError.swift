/// A part of a syslog stream that is not a message: where it is (the peer and the byte offset in its
/// connection) and why. It is counted and skipped; the connection goes on.
public struct SyslogFramingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// Not a frame length where octet counting expects one (`LEN SP`).
        case badLength
        /// A frame, line or datagram over the receiver's message limit.
        case oversize
        /// The connection ended inside an octet-counted frame.
        case truncated
    }

    public var code: Code
    /// The sender, `ADDRESS:PORT` (`[ADDRESS]:PORT` for IPv6).
    public var peer: String
    /// The 0-based byte offset in the connection (in the datagram for UDP) where the problem starts.
    public var offset: Int
    public var message: String

    public init(_ code: Code, peer: String, offset: Int, _ message: String) {
        self.code = code
        self.peer = peer
        self.offset = offset
        self.message = message
    }

    /// `127.0.0.1:40312: byte 1234: error: a frame of 70000 bytes is over the limit of 65536 bytes; …`.
    public var description: String { "\(peer): byte \(offset): error: \(message)" }
}
