import PortwardenCore

/// Why a UDP scan could not run or had to stop. Port states are never errors: an unreachable
/// port is a result, not a failure.
public struct UDPScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// The configuration cannot be run (`maxInFlight` < 1, a rate < 1, …).
        case invalidConfiguration
        /// `epoll_create1`/`epoll_wait` failed.
        case epollFailed
        /// The local network went down (`ENETDOWN`) while scanning.
        case networkDown
        /// No socket could be opened at all, even with one probe in flight.
        case socketsExhausted
    }

    /// What went wrong.
    public let code: Code
    /// The detail: the offending value or the system's error text.
    public let detail: String

    /// Creates an error.
    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    /// A message a person can act on.
    public var description: String {
        switch code {
        case .invalidConfiguration: return "invalid UDP scan configuration: \(detail)"
        case .epollFailed: return "UDP scan: epoll failed (\(detail)); check the process's file-descriptor limit"
        case .networkDown: return "UDP scan stopped: the local network is down (\(detail))"
        case .socketsExhausted:
            return "UDP scan stopped: no UDP socket could be opened (\(detail)); raise `ulimit -n` or lower maxInFlight"
        }
    }
}
