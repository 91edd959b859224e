import PortwardenCore

/// One entry of a UDP probe socket's error queue: a `struct sock_extended_err` and its offender,
/// decoded by the platform shim (``Kernel/extendedErrors(inControl:)``).
typealias UDPErrorQueueEntry = Kernel.ExtendedError

extension Kernel.ExtendedError {
    /// `SO_EE_ORIGIN_LOCAL`, `SO_EE_ORIGIN_ICMP`, `SO_EE_ORIGIN_ICMP6`.
    static let originLocal = Kernel.originLocal
    static let originICMP = Kernel.originICMP
    static let originICMP6 = Kernel.originICMP6

    /// Parses every `IP_RECVERR`/`IPV6_RECVERR` control message in `control` (bytes as
    /// `recvmsg(MSG_ERRQUEUE)` left them, or any bytes at all: other control messages and
    /// truncated ones are skipped, never trusted).
    static func parse(control: [UInt8]) -> [Kernel.ExtendedError] {
        Kernel.extendedErrors(inControl: control)
    }
}
