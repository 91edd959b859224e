import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// Where output goes: results on stdout, diagnostics and progress on stderr. Writes go straight to
/// the file descriptors (no shared `FILE *` state).
enum Terminal {
    /// Whether stdout is a terminal that wants colour (not when `NO_COLOR` is set).
    static var stdoutWantsColor: Bool {
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        return isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil && term != "dumb"
    }

    /// Whether stderr is a terminal (for progress lines).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes a line to stderr.
    static func writeError(_ text: String) {
        writeAll(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    /// Writes text to stderr as it is (no newline added).
    static func fputsStderr(_ text: String) {
        writeAll(text, to: STDERR_FILENO)
    }

    /// Writes text to stdout as it is.
    static func write(_ text: String) {
        writeAll(text, to: STDOUT_FILENO)
    }

    private static func writeAll(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while offset < buffer.count {
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
