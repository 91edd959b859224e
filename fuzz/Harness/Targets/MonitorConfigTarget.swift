import PortwardenCore
import PortwardenMonitor

/// The `monitor --config` file through `MonitorConfig.parse`; a problem names a line and a column of the
/// input.
enum MonitorConfigTarget: FuzzTarget {
    static let name = "monitor-config"

    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        // The parser splits lines on LF bytes ("\r\n" is one Character, so a Character split would count fewer).
        let lines = input.count { $0 == UInt8(ascii: "\n") } + 1
        do {
            let config = try MonitorConfig.parse(text, file: "fuzz.conf")
            FuzzCheck.require(Set(config.inputs.map(\.path)).count == config.inputs.count, "an input twice")
            for url in config.receivers + (config.syslog.map { [$0] } ?? []) {
                FuzzCheck.require((try? SyslogURL.parse(url.description)) == url, "round trip of \(url)")
            }
        } catch {
            FuzzCheck.require(
                error.file == "fuzz.conf" && error.line >= 1 && error.line <= lines && error.column >= 1,
                "problem outside the input: \(error)")
        }
    }
}
