import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process run to completion with `posix_spawn`, both output pipes drained with `poll`
/// and the exit collected with `waitpid` (see ``Shell/run(_:input:allowFailure:)``).
enum ChildProcess {
    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    static func run(path: String, arguments: [String], input: [UInt8]?) throws -> Output {
        let out = try pipePair()
        let err = try pipePair()
        let inPipe = try input.map { _ in try pipePair() }
        defer {
            for fd in [out.read, err.read] { close(fd) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let inPipe {
            posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(out.write)
        close(err.write)
        if let inPipe { close(inPipe.read) }
        guard spawned == 0 else {
            if let inPipe { close(inPipe.write) }
            throw SpawnError(description: "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        if let inPipe, let input {
            // Written from another thread so that a child that writes before it reads cannot block us.
            let writer = Thread {
                input.withUnsafeBytes { buffer in
                    guard let base = buffer.baseAddress else { return }
                    var offset = 0
                    while offset < buffer.count {
                        let written = write(inPipe.write, base + offset, buffer.count - offset)
                        if written < 0, errno == EINTR { continue }
                        if written <= 0 { break }
                        offset += written
                    }
                }
                close(inPipe.write)
            }
            writer.start()
        }
        var output = Output(status: 0, stdout: [], stderr: [])
        drain(out.read, err.read, into: &output)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw SpawnError(description: "waitpid: \(String(cString: strerror(errno)))") }
        }
        let signal = status & 0x7F
        output.status = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return output
    }

    private static func pipePair() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Reads both pipes until each reaches end of file.
    private static func drain(_ stdout: Int32, _ stderr: Int32, into output: inout Output) {
        var open: [Int32: Bool] = [stdout: true, stderr: true]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open.values.contains(true) {
            var fds = open.filter(\.value).keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            for entry in fds where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    if entry.fd == stdout {
                        output.stdout += buffer[0..<count]
                    } else {
                        output.stderr += buffer[0..<count]
                    }
                } else if count == 0 || errno != EINTR {
                    open[entry.fd] = false
                }
            }
        }
    }
}
