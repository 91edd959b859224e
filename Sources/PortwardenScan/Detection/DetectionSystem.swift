import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The one place service detection touches the C library: TCP sockets with poll() deadlines and
/// plain threads. Every function returns a Swift value or an errno; nothing here throws or traps.
enum DetectionSystem {
    /// A `connect(2)` outcome.
    enum ConnectResult {
        case connected(Int32)
        case failed(errno: Int32)
        case timedOut
    }

    /// The current time in seconds since 1970-01-01T00:00:00Z (certificate validity is judged at it).
    static var secondsSince1970: Int64 { Int64(time(nil)) }

    /// Opens a non-blocking TCP socket and connects it within `timeoutMilliseconds`.
    static func connect(host: IPAddress, port: UInt16, timeoutMilliseconds: Int) -> ConnectResult {
        let family = host.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failed(errno: errno) }
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let status = SocketAddress.with(host, port: port) { address, length in
            Glibc.connect(fd, address, length)
        }
        if status == 0 { return .connected(fd) }
        let code = errno
        guard code == EINPROGRESS else {
            close(fd)
            return .failed(errno: code)
        }
        switch poll(fd: fd, events: writable, timeoutMilliseconds: timeoutMilliseconds) {
        case .ready:
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return .connected(fd) }
            close(fd)
            return .failed(errno: error)
        case .timedOut:
            close(fd)
            return .timedOut
        case .failed(let code):
            close(fd)
            return .failed(errno: code)
        }
    }

    /// `POLLIN`.
    static let readable = Int16(POLLIN)
    /// `POLLOUT`.
    static let writable = Int16(POLLOUT)

    /// A `poll(2)` outcome for one descriptor.
    enum PollResult {
        case ready
        case timedOut
        case failed(Int32)
    }

    /// Waits until `fd` is ready for `events` (or reports an error/hang-up, which counts as ready).
    static func poll(fd: Int32, events: Int16, timeoutMilliseconds: Int) -> PollResult {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let count = Glibc.poll(&entry, 1, Int32(clamping: max(0, timeoutMilliseconds)))
            if count > 0 { return .ready }
            if count == 0 { return .timedOut }
            let code = errno
            if code != EINTR { return .failed(code) }
        }
    }

    /// Sends as much of `bytes` as the socket takes now; returns the count or -1 with errno.
    static func send(fd: Int32, _ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBytes { raw in
            Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
        }
    }

    /// Receives up to `capacity` bytes; returns them, an empty array at end of stream, or `nil`
    /// when nothing is ready (`EAGAIN`) or the read failed.
    static func receive(fd: Int32, capacity: Int) -> (bytes: [UInt8], wouldBlock: Bool)? {
        var buffer = [UInt8](repeating: 0, count: capacity)
        let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if count >= 0 { return (Array(buffer[0..<count]), false) }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return ([], true) }
        return nil
    }

    /// Closes a descriptor.
    static func closeSocket(_ fd: Int32) {
        _ = close(fd)
    }

    /// Whether `errno` is "connection refused".
    static func isRefused(_ code: Int32) -> Bool { code == ECONNREFUSED }

    /// Starts `count` threads that each run `body` and waits for all of them. Threads inherit the
    /// calling thread's network namespace (unlike a dispatch pool), which tests rely on. If a thread
    /// cannot be created, its share of the work is run on the calling thread instead.
    static func runThreads(count: Int, _ body: @escaping @Sendable () -> Void) {
        var threads: [pthread_t] = []
        var ranInline = false
        for _ in 0..<count {
            let box = Unmanaged.passRetained(ThreadBody(body))
            var thread = pthread_t()
            let status = pthread_create(
                &thread, nil,
                { context in
                    guard let context else { return nil }
                    let box = Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue()
                    box.body()
                    return nil
                }, box.toOpaque())
            if status == 0 {
                threads.append(thread)
            } else {
                box.release()
                if !ranInline {
                    ranInline = true
                    body()
                }
            }
        }
        for thread in threads { _ = pthread_join(thread, nil) }
    }
}

extension DetectionSystem {
    /// Runs `body` on a new detached thread; if no thread can be created, runs it on the caller's.
    static func startDetachedThread(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(body))
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().body()
                return nil
            }, box.toOpaque())
        if status == 0 {
            _ = pthread_detach(thread)
        } else {
            box.release()
            body()
        }
    }
}

/// A closure handed to a new thread.
private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
