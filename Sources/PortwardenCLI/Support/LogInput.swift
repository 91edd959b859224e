import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads a log file or standard input in chunks, so that memory does not grow with the log.
enum LogInput {
    /// Calls `body` with each chunk of `path` (`-` is standard input) until the end.
    /// - Throws: an input failure (exit 2) when the file cannot be opened or read.
    static func stream(_ path: String, chunkSize: Int = 1 << 16, _ body: ([UInt8]) -> Void) throws {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIFailure.input("\(path): \(FileBytes.lastError(path: path))") }
        defer { if fd != 0 { close(fd) } }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw CLIFailure.input("\(path): \(FileBytes.lastError(path: path))")
            }
            body(Array(buffer[0..<count]))
        }
    }
}
