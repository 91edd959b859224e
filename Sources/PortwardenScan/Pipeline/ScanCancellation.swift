import Synchronization

/// A flag the caller raises to stop a running pipeline (SIGINT, a cancelled task). Phases not yet
/// started are skipped and the scan record is marked partial; engines that can stop mid-run are
/// asked to.
public final class ScanCancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    private let why = Mutex<String?>(nil)

    /// Creates a lowered flag.
    public init() {}

    /// Raises the flag.
    /// - Parameter reason: what stopped the scan (`interrupted by SIGINT`), for the record.
    public func cancel(reason: String) {
        why.withLock { if $0 == nil { $0 = reason } }
        flag.store(true, ordering: .releasing)
    }

    /// Raises the flag from a signal handler (one atomic store; the reason reads "interrupted").
    public func raiseFromSignal() {
        flag.store(true, ordering: .releasing)
    }

    /// Whether the flag is raised.
    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// The first reason given.
    public var reason: String? { isCancelled ? why.withLock { $0 } ?? "interrupted" : nil }
}
