#if canImport(Glibc)
import Glibc
#endif

/// Where output goes: results on stdout, diagnostics and progress on stderr.
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
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        fputs(line, stderr)
    }

    /// Writes text to stderr as it is (no newline added).
    static func fputsStderr(_ text: String) {
        fputs(text, stderr)
    }

    /// Writes text to stdout as it is.
    static func write(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }
}
