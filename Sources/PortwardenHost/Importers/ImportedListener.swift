import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A listener read from another tool's output (ss, osquery), with where and when it was reported,
/// so that the caller can date its observation and locate problems with it.
public struct ImportedListener: Hashable, Sendable {
    /// The listener.
    public var listener: Listener
    /// The 1-based line of the input that reported it (for osquery: the line that last added it).
    public var line: Int
    /// When the tool saw it (osquery's `unixTime`); `nil` when the input does not say (ss).
    public var time: Date?

    /// Creates an imported listener.
    public init(listener: Listener, line: Int, time: Date? = nil) {
        self.listener = listener
        self.line = line
        self.time = time
    }
}
