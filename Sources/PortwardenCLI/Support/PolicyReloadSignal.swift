import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP raises one process-wide flag that the monitor takes between reads (an atomic store only, which
/// is async-signal-safe).
enum PolicyReloadSignal {
    static let flag = Atomic<Bool>(false)

    static func install() {
        _ = Glibc.signal(SIGHUP) { _ in PolicyReloadSignal.flag.store(true, ordering: .relaxed) }
    }

    /// Whether SIGHUP arrived since the last call.
    static func take() -> Bool { flag.exchange(false, ordering: .relaxed) }
}
