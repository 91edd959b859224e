import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// Plain POSIX file reading and writing, so the CLI needs no Foundation for its I/O.
enum FileBytes {
    /// The whole file, or `nil` when it cannot be read or exceeds `limit` bytes.
    static func read(path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFDIR { errno = EISDIR; return nil }
        if Int(info.st_size) > limit { errno = EFBIG; return nil }
        return readAll(fd: fd)
    }

    /// Reads the file at `path` (standard input when `nil`) in chunks and hands each to `body`.
    /// - Returns: `false` when the file cannot be opened or read (see ``lastError(path:)``).
    static func stream(path: String?, body: (UnsafeRawBufferPointer) throws -> Void) rethrows -> Bool {
        let fd = path.map { open($0, O_RDONLY | O_CLOEXEC) } ?? 0
        guard fd >= 0 else { return false }
        defer { if path != nil { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            errno = EISDIR
            return false
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0, errno == EINTR { continue }
            if n < 0 { return false }
            if n == 0 { return true }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    static func readAll(fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// A sentence explaining why `path` could not be read.
    static func lastError(path: String) -> String {
        switch errno {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        case EISDIR: return "is a directory, not a file"
        case EFBIG: return "file is too large"
        default: return String(cString: strerror(errno))
        }
    }

    /// Writes `text` to `path` (created or truncated, mode 0644).
    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIFailure.input("cannot write \(path): \(lastError(path: path))") }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw CLIFailure.runtime("cannot write \(path): \(lastError(path: path))") }
            offset += n
        }
    }

    /// Creates a directory and its parents (like `mkdir -p`).
    static func makeDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw CLIFailure.input("cannot create directory \(current): \(lastError(path: current))")
            }
        }
    }

    /// Fails unless files can be created in `directory` (checked before the first probe, so a
    /// long scan never ends in "cannot write").
    static func checkWritable(directory: String) throws {
        guard access(directory, W_OK | X_OK) == 0 else {
            throw CLIFailure.input("cannot write into \(directory): \(lastError(path: directory))")
        }
    }

    /// Fails unless `path` can be opened for writing; a file this check creates is removed again.
    static func checkWritable(file path: String) throws {
        let existed = access(path, F_OK) == 0
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIFailure.input("cannot write \(path): \(lastError(path: path))") }
        close(fd)
        if !existed { unlink(path) }
    }
}
