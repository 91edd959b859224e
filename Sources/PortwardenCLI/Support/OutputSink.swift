#if canImport(Glibc)
import Glibc
#endif

/// A buffered writer to a file or stdout: scan results are written as they come (JSON lines), so
/// memory stays flat however many closed or filtered ports a scan finds.
final class OutputSink {
    private let fd: Int32
    private let path: String?
    private var buffer = ""
    private let flushAt = 1 << 16

    /// Opens `path` (created or truncated) or, with `nil`, stdout.
    init(path: String?) throws {
        self.path = path
        if let path {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw CLIFailure.input("cannot write \(path): \(FileBytes.lastError(path: path))")
            }
            self.fd = fd
        } else {
            fd = STDOUT_FILENO
        }
        buffer.reserveCapacity(flushAt + 4096)
    }

    deinit {
        if path != nil { close(fd) }
    }

    /// Appends text, writing the buffer out when it is full.
    func write(_ text: String) throws {
        buffer.append(text)
        if buffer.utf8.count >= flushAt { try flush() }
    }

    /// Appends through a closure that writes into the buffer directly (no intermediate string).
    func append(_ body: (inout String) -> Void) throws {
        body(&buffer)
        if buffer.utf8.count >= flushAt { try flush() }
    }

    /// Writes everything buffered.
    func flush() throws {
        var bytes = Array(buffer.utf8)
        buffer.removeAll(keepingCapacity: true)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw in
                Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw CLIFailure.runtime("cannot write \(path ?? "stdout"): \(FileBytes.lastError(path: path ?? "-"))")
            }
            offset += n
        }
    }
}
