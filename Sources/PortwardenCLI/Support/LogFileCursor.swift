import PortwardenCore
import PortwardenMonitor
import PortwardenStore

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One log file being read: its descriptor, its identity (device, inode, first bytes), how far it has
/// been fed to its line reader, and the counts of earlier files at the same path. Its `position` is what
/// the store commits with the events read up to it.
final class LogFileCursor {
    /// What the path names now compared with the file this cursor reads.
    enum Change {
        case none
        /// The path names another file (rename + new file); this one may still grow until the writer
        /// reopens.
        case rotated
        /// The file is shorter than what was read, or its first bytes changed (copytruncate).
        case truncated
    }

    let input: String
    let format: LogFormat
    private let now: Date
    private var fd: Int32
    private var device: UInt64
    private var inode: UInt64
    /// Bytes of this file fed to the reader.
    private var fed: Int64
    private(set) var reader: LogLineReader
    /// Counts of readers this cursor replaced (a truncated file read again) in this run.
    private var replacedCounts = LogCounts()
    /// Whether the cursor continues after a committed position (a run that reads nothing new is no error).
    private(set) var resumed = false
    /// The file's first bytes as read (up to `LogResume.headLimit`).
    private var head: [UInt8]
    /// Counts of earlier files at this path and earlier runs.
    private var earlier: (flows: Int64, security: Int64, problems: Int64)
    /// The line number at the last commit.
    private var committedLine: Int64

    private init(input: String, format: LogFormat, now: Date, fd: Int32, info: stat) {
        self.input = input
        self.format = format
        self.now = now
        self.fd = fd
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        fed = 0
        reader = LogLineReader(format: format, file: input, now: now)
        head = []
        earlier = (0, 0, 0)
        committedLine = 0
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Opens `path` and places the cursor after the committed position when the store has one for it:
    /// the same file resumes after its last committed line; a file rotated away is found in its directory
    /// (same device and inode) and its rest is read first; a truncated file is read from its start.
    /// - Returns: the cursor of the file to read first; a rotated file's cursor has the path's current
    ///   file as its `successor`.
    static func open(
        _ path: String, format: LogFormat, now: Date, stored: LogOffset?, warn: (String) -> Void
    ) throws -> LogFileCursor {
        let (fd, info) = try openFile(path)
        let cursor = LogFileCursor(input: path, format: format, now: now, fd: fd, info: info)
        guard let stored else { return cursor }
        cursor.earlier = (stored.flows, stored.securityEvents, stored.problems)
        let state = try cursor.state()
        switch LogResume.decide(stored: stored, current: state) {
        case .resume(let offset, let line):
            try cursor.seek(to: offset, line: line)
        case .truncated:
            warn(
                "\(path): shorter than, or rewritten since, the committed offset \(stored.byteOffset): read from its start"
            )
        case .replaced:
            if let rotated = findRotated(path, device: stored.device, inode: stored.inode) {
                let (oldFD, oldInfo) = try openFile(rotated)
                let old = LogFileCursor(input: path, format: format, now: now, fd: oldFD, info: oldInfo)
                old.earlier = cursor.earlier
                let oldState = try old.state()
                if case .resume(let offset, let line) = LogResume.decide(stored: stored, current: oldState) {
                    try old.seek(to: offset, line: line)
                    old.successor = cursor
                    warn("\(path): rotated to \(rotated) after the committed offset: reading its rest first")
                    return old
                }
            }
            warn("\(path): another file than the one committed (rotated or replaced): read from its start")
        }
        return cursor
    }

    /// The path's current file, to read once this rotated-away file is done.
    var successor: LogFileCursor?

    /// Reads one chunk into the reader; returns the number of bytes read (0 at the end for now).
    func readChunk(_ buffer: inout [UInt8], _ handle: (LogReaderItem) -> Void) throws -> Int {
        let size = buffer.count
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, size) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CLIFailure.input("\(input): \(FileBytes.lastError(path: input))")
            }
            if count > 0 {
                if head.count < LogResume.headLimit {
                    head += buffer[0..<min(count, LogResume.headLimit - head.count)]
                }
                fed += Int64(count)
                reader.feed(buffer[0..<count], handle)
            }
            return count
        }
    }

    /// What this cursor read in this run.
    var runCounts: LogCounts {
        var counts = replacedCounts
        counts.add(reader.counts)
        return counts
    }

    /// Parses a last line without a newline (the file is finished: rotated away, or a one-shot read).
    func finish(_ handle: (LogReaderItem) -> Void) { reader.finish(handle) }

    /// Lines handed to the parser since the last `markCommitted`.
    var uncommittedLines: Int64 { Int64(reader.lineNumber) - committedLine }

    func markCommitted() { committedLine = Int64(reader.lineNumber) }

    /// The position after the last complete line, with the file's identity and the counts so far.
    var position: LogOffset {
        let offset = fed - Int64(reader.pendingByteCount)
        let length = min(Int64(head.count), offset)
        let counts = reader.counts
        return LogOffset(
            input: input, format: format.rawValue, device: device, inode: inode, headLength: length,
            headSHA256: LogResume.hash(head.prefix(Int(length))), byteOffset: offset, line: Int64(reader.lineNumber),
            flows: earlier.flows + Int64(counts.flows), securityEvents: earlier.security + Int64(counts.securityEvents),
            problems: earlier.problems + Int64(counts.problems))
    }

    /// Whether the path still names this file, unchanged before the read offset.
    func change() -> Change {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .none }
        if Int64(info.st_size) < fed { return .truncated }
        if !head.isEmpty {
            var first = [UInt8](repeating: 0, count: head.count)
            let count = first.withUnsafeMutableBytes { pread(fd, $0.baseAddress, head.count, 0) }
            if count >= 0, Array(first[0..<count]) != head { return .truncated }
        }
        var named = stat()
        guard stat(input, &named) == 0 else { return .none }
        if UInt64(named.st_dev) != device || UInt64(named.st_ino) != inode { return .rotated }
        return .none
    }

    /// Starts this file again from its first byte (after a truncation); lines not yet complete are dropped.
    func restart() throws {
        foldCounts()
        try seek(to: 0, line: 0)
        head = []
    }

    /// A cursor on the file the path names now, continuing this one's counts.
    func reopened() throws -> LogFileCursor {
        let (newFD, info) = try Self.openFile(input)
        let next = LogFileCursor(input: input, format: format, now: now, fd: newFD, info: info)
        let position = self.position
        next.earlier = (position.flows, position.securityEvents, position.problems)
        return next
    }

    /// Hands a rotated-away cursor's counts to its successor and returns the successor.
    func handOver() -> LogFileCursor? {
        guard let successor else { return nil }
        let position = self.position
        successor.earlier = (position.flows, position.securityEvents, position.problems)
        return successor
    }

    private func foldCounts() {
        let position = self.position
        earlier = (position.flows, position.securityEvents, position.problems)
    }

    private func seek(to offset: Int64, line: Int64) throws {
        replacedCounts.add(reader.counts)
        resumed = offset > 0
        reader = LogLineReader(format: format, file: input, now: now)
        if format == .zeek && offset > 0 { try replayHeaders(upTo: offset) }
        guard lseek(fd, off_t(offset), SEEK_SET) == offset else {
            throw CLIFailure.input("\(input): cannot seek to \(offset): \(FileBytes.lastError(path: input))")
        }
        reader.resume(afterLine: Int(line))
        fed = offset
        committedLine = line
        // The head is the bytes before the read position, as `readChunk` extends it: a file shorter
        // than the head limit with lines after the committed offset would otherwise hold those lines
        // twice once they are read, and `change()` would call the file rewritten and read it again.
        head = try readHead(length: Int(min(offset, Int64(LogResume.headLimit))))
    }

    /// Feeds the header lines before `offset` to the reader (Zeek's columns), counting nothing.
    private func replayHeaders(upTo offset: Int64) throws {
        var done: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while done < offset {
            let want = Int(min(Int64(buffer.count), offset - done))
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(done)) }
            if count <= 0 { break }
            done += Int64(count)
            reader.replayHeaders(buffer[0..<count], last: done >= offset)
        }
        reader.replayHeaders([], last: true)
    }

    /// The file's first `length` bytes (fewer when it is shorter).
    private func readHead(length: Int = LogResume.headLimit) throws -> [UInt8] {
        var first = [UInt8](repeating: 0, count: length)
        let count = first.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, 0) }
        guard count >= 0 else { throw CLIFailure.input("\(input): \(FileBytes.lastError(path: input))") }
        return Array(first[0..<count])
    }

    private func state() throws -> LogResume.FileState {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CLIFailure.input("\(input): \(FileBytes.lastError(path: input))") }
        return LogResume.FileState(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size), head: try readHead())
    }

    static func openFile(_ path: String) throws -> (Int32, stat) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIFailure.input("\(path): \(FileBytes.lastError(path: path))") }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else {
            close(fd)
            throw CLIFailure.input("\(path): is a directory, not a log file")
        }
        return (fd, info)
    }

    /// A file in `path`'s directory with the device and inode of the file once read at `path` (logrotate's
    /// `kern.log.1`), if there is one.
    static func findRotated(_ path: String, device: UInt64, inode: UInt64) -> String? {
        let base = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return nil }
        for name in names.sorted() {
            let candidate = (base.hasSuffix("/") ? base : base + "/") + name
            var info = stat()
            if stat(candidate, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode,
                candidate != path
            {
                return candidate
            }
        }
        return nil
    }
}
