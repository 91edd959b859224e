import PortwardenScan

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM raise one process-wide ``ScanCancellation``: the pipeline skips the phases
/// not yet started and the output is written and marked partial. A second signal ends the process
/// at once (the handler restores the default action).
enum SignalCancellation {
    /// The flag the handlers raise (an atomic store only, which is async-signal-safe).
    static let shared = ScanCancellation()

    /// Installs the handlers and returns the flag.
    static func install() -> ScanCancellation {
        for signal in [SIGINT, SIGTERM] {
            _ = Glibc.signal(signal) { number in
                SignalCancellation.shared.cancel()
                _ = Glibc.signal(number, SIG_DFL)
            }
        }
        return shared
    }
}
