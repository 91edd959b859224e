import PortwardenCore
import Synchronization

/// A flag another thread (a signal handler's thread, a task's cancellation handler) sets to stop
/// a running scan. The engines check it every loop turn; a stopped scan returns what was
/// finished, with ``ScanStatistics/interrupted`` set and unfinished probes left out of the
/// observations.
public final class ScanCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates a flag that is not set.
    public init() {}

    /// Asks the scan to stop.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
