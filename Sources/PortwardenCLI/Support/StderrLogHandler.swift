import Logging
import PortwardenCore

/// The one log format of the command line, on stderr beside the other diagnostics:
/// `portwarden: warning: message (key=value, …)`. stdout stays for results.
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var text = "portwarden: \(event.level): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            let pairs = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            text += " (" + pairs.joined(separator: ", ") + ")"
        }
        Terminal.writeError(text)
    }
}
