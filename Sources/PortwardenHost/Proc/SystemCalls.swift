import PortwardenCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one place this module talks to libc: whole-file reads, `readlink`, directory listings and
/// `stat`, all returning `errno` instead of throwing so that a process exiting mid-scan is cheap.
enum SystemCalls {
    /// `ENOENT`: the file (or the process) is gone.
    static let noEntry = ENOENT
    /// `ESRCH`: the process exited while we were reading it.
    static let noProcess = ESRCH

    /// Reads a whole file, which may be a /proc file that reports size 0.
    /// - Returns: the bytes, or the `errno` of the failing call.
    static func readFile(_ path: String) -> Result<[UInt8], SystemError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(SystemError(errno: errno)) }
        defer { close(fd) }
        let chunk = 65_536
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = []
        while true {
            let n = read(fd, buffer, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(SystemError(errno: errno))
            }
            if n == 0 { return .success(bytes) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: n))
        }
    }

    /// The target of a symbolic link, as bytes.
    static func readLink(_ path: String) -> Result<[UInt8], SystemError> {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4096) { buffer in
            guard let base = buffer.baseAddress else { return .failure(SystemError(errno: ENOMEM)) }
            let n = readlink(path, base, buffer.count)
            guard n >= 0 else { return .failure(SystemError(errno: errno)) }
            return .success(UnsafeRawBufferPointer(start: base, count: n).map { $0 })
        }
    }

    /// The names in a directory, without `.` and `..`.
    static func listDirectory(_ path: String) -> Result<[String], SystemError> {
        guard let dir = opendir(path) else { return .failure(SystemError(errno: errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = String(cString: entryName(entry))
            if name != ".", name != ".." { names.append(name) }
        }
        return .success(names)
    }

    /// Calls `body` with the inode of every `socket:[inode]` link in a `/proc/<pid>/fd` directory;
    /// works on bytes and allocates nothing per descriptor.
    /// - Returns: `nil`, or the `errno` of `opendir` when the directory cannot be read.
    static func forEachSocketInode(inFDDirectory path: String, _ body: (UInt64) -> Void) -> SystemError? {
        guard let dir = opendir(path) else { return SystemError(errno: errno) }
        defer { closedir(dir) }
        let descriptor = dirfd(dir)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { link in
            guard let base = link.baseAddress else { return SystemError(errno: ENOMEM) }
            while let entry = readdir(dir) {
                let name = entryName(entry)
                if name[0] == 0x2E { continue }  // "." and ".."
                let n = readlinkat(descriptor, name, base, 64)
                guard n > 9 else { continue }
                if let inode = SocketLink.inode(UnsafeBufferPointer(start: base, count: n)) { body(inode) }
            }
            return nil
        }
    }

    /// The offset of `d_name` in `struct dirent`, a stored field of the C struct.
    private static let nameOffset: Int = {
        guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else {
            preconditionFailure("struct dirent has no stored d_name field")
        }
        return offset
    }()

    /// The name of a directory entry, read where `readdir` put it. The record ends after the name's
    /// terminating NUL, which can be before `sizeof(struct dirent)`, so `entry.pointee` (a copy of
    /// the whole struct) reads past it: AddressSanitizer reported that as a heap overflow.
    private static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> UnsafePointer<CChar> {
        (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self)
    }

    /// The inode of the file at `path` (following links), or `nil`.
    static func inode(of path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    /// The effective user id of this process.
    static var effectiveUserID: UInt32 { UInt32(geteuid()) }
}

/// An `errno` value from a failing call.
struct SystemError: Error, Equatable {
    var errno: Int32

    /// Whether the file or process is simply gone (exited mid-scan).
    var isGone: Bool { errno == SystemCalls.noEntry || errno == SystemCalls.noProcess }

    /// The C library's text for the error.
    var message: String { String(cString: strerror(errno)) }
}
