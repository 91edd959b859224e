import CPortwardenLinux
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The scanner's one door to the kernel and the C library: sockets, the error queue, raw and
/// packet sockets, epoll (``Epoll``), limits, clocks and threads. Kernel headers come from the
/// `CPortwardenLinux` C target; no layout or constant is typed by hand. Every other file of
/// PortwardenScan (but `Detection/DetectionSystem.swift`) speaks in Swift types and plain errno values.
enum Kernel {
    /// errno values the transports classify (named so that no other file needs Glibc).
    enum Errno {
        static let inProgress = EINPROGRESS
        static let connectionRefused = ECONNREFUSED
        static let timedOut = ETIMEDOUT
        static let hostUnreachable = EHOSTUNREACH
        static let networkUnreachable = ENETUNREACH
        static let accessDenied = EACCES
        static let noProtocolOption = ENOPROTOOPT
        static let noNetwork = ENONET
        static let hostDown = EHOSTDOWN
        static let notPermitted = EPERM
        static let addressNotAvailable = EADDRNOTAVAIL
        static let tooManyFiles = EMFILE
        static let tableFull = ENFILE
        static let noBuffers = ENOBUFS
        static let again = EAGAIN
        static let wouldBlock = EWOULDBLOCK
        static let networkDown = ENETDOWN
        static let interrupted = EINTR
        static let connectionReset = ECONNRESET
        static let alreadyInProgress = EALREADY
        static let messageTooLong = EMSGSIZE
    }

    /// A failed system call: its errno.
    struct Failure: Error, Equatable {
        let code: Int32
    }

    /// The text of an errno value (`strerror`).
    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Closes a descriptor.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit. - Returns: the soft limit now in force.
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > UInt(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }

    /// Nanoseconds on `CLOCK_MONOTONIC`.
    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Seconds since 1970 on the real-time clock.
    static func wallClockSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Runs `body` on a new detached POSIX thread with an 8 MiB stack. A thread created by a
    /// thread that joined a network namespace starts in that namespace.
    /// - Returns: false when the thread could not be created.
    static func detachThread(_ body: @escaping @Sendable () -> Void) -> Bool {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let status = pthread_create(
            &thread, &attributes,
            { raw in
                guard let raw else { return nil }
                Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            }, context)
        if status != 0 {
            Unmanaged<Box>.fromOpaque(context).release()
            return false
        }
        return true
    }

    /// Runs `body` on a new thread (see ``detachThread(_:)``) and resumes with its result.
    /// - Throws: what `body` throws, or ``ScanError`` when no thread could be started.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let started = detachThread { continuation.resume(with: Result { try body() }) }
            if !started {
                continuation.resume(throwing: ScanError(.thread, "could not start the scanning thread"))
            }
        }
    }

    /// Waits until `fd` is readable or `milliseconds` passed (`poll`).
    /// - Returns: whether it became readable.
    @discardableResult
    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }
}
