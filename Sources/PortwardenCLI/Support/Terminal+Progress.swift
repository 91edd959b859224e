import PortwardenCore
import PortwardenScan

extension Terminal {
    /// Rewrites one status line on stderr: probes done, rate, ETA, open found.
    static func writeProgress(_ progress: ScanProgress) {
        fputsStderr("\r\u{1B}[2K  " + progressText(progress))
    }

    /// `1234/65535 probes (1.9%)  8123/s eta 7s  open: 3`.
    static func progressText(_ progress: ScanProgress) -> String {
        let percent = progress.total > 0 ? Double(progress.done) * 100 / Double(progress.total) : 100
        let eta = progress.eta.map { " eta \(formatSeconds(NmapXMLOutput.seconds($0)))" } ?? ""
        return "\(progress.done)/\(progress.total) probes (\(String(format1: percent))%)"
            + "  \(Int(progress.rate))/s\(eta)  open: \(progress.open)"
    }

    static func clearProgress() { fputsStderr("\r\u{1B}[2K") }

    static func formatSeconds(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}

extension String {
    /// A number with one decimal, without Foundation's formatters.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
