import PortwardenCore

/// Why a scan could not run or had to stop.
public struct ScanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// `ENETDOWN`: the local interface went down mid-scan.
        case networkDown = "network-down"
        /// epoll could not be created or used.
        case eventLoop = "event-loop"
        /// No thread could be started for the async wrapper.
        case thread
        /// The scan is larger than the engine's index space.
        case tooLarge = "too-large"
        /// Local resources (descriptors, source ports) stayed exhausted with nothing in flight.
        case resources
        /// A configuration value is out of range.
        case configuration
    }

    /// What went wrong.
    public var code: Code
    /// The detail a person needs to act on it.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The message for the user.
    public var description: String {
        switch code {
        case .configuration, .tooLarge: return "the scan cannot run as asked: \(detail)"
        case .networkDown: return "the scan stopped: \(detail)"
        case .eventLoop, .thread, .resources: return "the scan could not run: \(detail)"
        }
    }
}
