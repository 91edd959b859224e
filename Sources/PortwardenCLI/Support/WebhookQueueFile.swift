import Foundation
import PortwardenMonitor

#if canImport(Glibc)
import Glibc
#endif

/// The file I/O of the on-disk webhook queue (`WebhookJournal` is the format): the file is locked for the
/// process's lifetime, read once at the start, then only appended to, one record per `write`; compaction
/// writes the waiting alerts to `PATH.tmp`, syncs it, renames it over the file and syncs the directory, so
/// that a crash at any point leaves either the old file or the new one.
final class WebhookQueueFile {
    let path: String
    let queueID: UInt64
    private var fd: Int32
    /// The file's length in bytes.
    private(set) var size: Int

    /// Opens the queue file at `path` (creating it, not its directory), locks it and reads it.
    /// - Returns: the file, opened for appending and compacted to the alerts waiting, and what it held;
    ///   the problems of a torn or damaged record are in the contents, for the caller to report.
    /// - Throws: `CLIFailure.input` when the file is not a queue file (it is left as it is) or another
    ///   process holds it; `CLIFailure.runtime` when it cannot be read or written.
    static func open(_ path: String) throws -> (WebhookQueueFile, WebhookJournal.Contents) {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path, "cannot open the webhook queue file") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            Glibc.close(fd)
            if busy {
                throw CLIFailure.input(
                    "\(path): the webhook queue file is in use by another portwarden process; "
                        + "give each one its own (--webhook-queue-file)")
            }
            throw failure(path, "cannot lock the webhook queue file")
        }
        let bytes: [UInt8]
        do {
            bytes = try readAll(fd, path)
        } catch {
            Glibc.close(fd)
            throw error
        }
        var contents: WebhookJournal.Contents
        if bytes.isEmpty {
            contents = WebhookJournal.Contents(
                queueID: UInt64.random(in: 1...UInt64.max), nextID: 1, entries: [], problems: [])
        } else {
            do {
                contents = try WebhookJournal.parse(bytes)
            } catch {
                Glibc.close(fd)
                throw CLIFailure.input("\(path): \(error); move it away to start with an empty queue")
            }
        }
        let file = WebhookQueueFile(path: path, queueID: contents.queueID, fd: fd, size: bytes.count)
        do {
            try file.compact(nextID: contents.nextID, entries: contents.entries)
        } catch {
            file.close()
            throw error
        }
        return (file, contents)
    }

    private init(path: String, queueID: UInt64, fd: Int32, size: Int) {
        self.path = path
        self.queueID = queueID
        self.fd = fd
        self.size = size
    }

    deinit { close() }

    /// Appends one or more records in one `write` (the kernel keeps them when the process is killed; a
    /// power loss may lose what was written since the last sync).
    func append(_ bytes: [UInt8]) throws {
        guard fd >= 0 else { throw CLIFailure.runtime("\(path): the webhook queue file is closed") }
        try Self.writeAll(fd, bytes, path)
        size += bytes.count
    }

    /// Replaces the file with one holding only `entries`: write `PATH.tmp`, sync, rename, sync the directory.
    func compact(nextID: UInt64, entries: some Sequence<WebhookQueue.Entry>) throws {
        let temporary = path + ".tmp"
        let bytes = WebhookJournal.file(queueID: queueID, nextID: nextID, entries: entries)
        let newFD = Glibc.open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard newFD >= 0 else { throw Self.failure(temporary, "cannot create the compacted webhook queue file") }
        // Locked before it replaces the file, so that no other process can take the new file in between.
        guard flock(newFD, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(newFD)
            throw Self.failure(temporary, "cannot lock the compacted webhook queue file")
        }
        do {
            try Self.writeAll(newFD, bytes, temporary)
            guard fsync(newFD) == 0 else { throw Self.failure(temporary, "cannot sync") }
            guard rename(temporary, path) == 0 else { throw Self.failure(path, "cannot rename \(temporary) to it") }
        } catch {
            Glibc.close(newFD)
            unlink(temporary)
            throw error
        }
        Self.syncDirectory(of: path)
        if fd >= 0 { Glibc.close(fd) }
        fd = newFD
        size = bytes.count
        _ = lseek(fd, 0, SEEK_END)
    }

    /// Syncs the file and closes it (the lock goes with it).
    func close() {
        guard fd >= 0 else { return }
        _ = fsync(fd)
        Glibc.close(fd)
        fd = -1
    }

    private static func readAll(_ fd: Int32, _ path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure(path, "cannot read the webhook queue file") }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure(path, "cannot write the webhook queue file") }
            written += count
        }
    }

    private static func syncDirectory(of path: String) {
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let fd = Glibc.open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        Glibc.close(fd)
    }

    private static func failure(_ path: String, _ what: String) -> CLIFailure {
        CLIFailure.runtime("\(path): \(what): \(String(cString: strerror(errno)))")
    }
}
