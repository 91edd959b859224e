import PortwardenCore
import PortwardenHost

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Imported listeners (ss, osquery) as host-view observations (`source: host`, like
/// `portwarden inventory`), each on the host it belongs to (docs/formats.md, Imported formats):
/// a listener bound to one concrete address is that address's, whatever `--host` says; a wildcard
/// or loopback listener belongs to the host the capture was taken on, named by `--host` (or, for
/// osquery, by a `hostIdentifier` that is an address). When neither names it, the listener is
/// not imported and an error says to give `--host`.
struct HostEvidence {
    let file: String
    let vantage: String?
    let importTime: Date
    var observations: [Observation] = []
    var diagnostics: [Diagnostic] = []

    init(file: String, vantage: String?, importTime: Date) {
        self.file = file
        self.vantage = vantage
        self.importTime = importTime
    }

    /// Adds the listeners of one captured host; `host` is the address for its unbound listeners.
    /// - Parameter unnamed: why `host` is `nil`, for the error (`the capture names no host`).
    mutating func add(_ listeners: [ImportedListener], host: IPAddress?, unnamed: String) {
        var unplaced: [ImportedListener] = []
        for item in listeners {
            let listener = item.listener
            let owner: IPAddress?
            switch listener.bind {
            case .address: owner = listener.address
            case .wildcard, .loopback, .container: owner = host
            }
            guard let owner else {
                unplaced.append(item)
                continue
            }
            observations.append(
                listener.observation(at: item.time ?? importTime, host: owner, vantage: vantage, source: .host))
        }
        guard let first = unplaced.first else { return }
        let count = Diagnostic.counted(unplaced.count, "listener is", "listeners are")
        diagnostics.append(
            Diagnostic(
                file: file, line: first.line,
                message: "\(count) bound to a wildcard or loopback address (first: \(first.listener.endpoint)) and "
                    + "\(unnamed): name the host they listen on with --host ADDRESS"))
    }
}
