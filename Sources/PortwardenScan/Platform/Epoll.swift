import CPortwardenLinux
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// An epoll instance (`<sys/epoll.h>`, level-triggered) with a reusable event buffer. The
/// transports register sockets with the events they wait for and get each ready fd back.
final class Epoll {
    /// `EPOLLIN`, `EPOLLOUT`, `EPOLLERR`, `EPOLLHUP`.
    static let input = EPOLLIN.rawValue
    static let output = EPOLLOUT.rawValue
    static let error = EPOLLERR.rawValue
    static let hangUp = EPOLLHUP.rawValue
    /// What a connecting TCP socket waits for.
    static let connectEvents = output | error | hangUp
    /// What a UDP probe socket waits for: a datagram or a queued error.
    static let datagramEvents = input | error

    private let fd: Int32
    private var events: [epoll_event]

    /// Creates the instance with room for `capacity` events per wait.
    /// - Throws: ``Kernel/Failure`` when the kernel refuses.
    init(capacity: Int) throws(Kernel.Failure) {
        fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw Kernel.Failure(code: errno) }
        events = [epoll_event](repeating: epoll_event(), count: max(16, capacity))
    }

    deinit { Kernel.close(fd) }

    /// Watches `socket` for `mask`. - Returns: 0, or the errno.
    func add(_ socket: Int32, events mask: UInt32) -> Int32 {
        var event = epoll_event()
        event.events = mask
        event.data.fd = socket
        return epoll_ctl(fd, EPOLL_CTL_ADD, socket, &event) == 0 ? 0 : errno
    }

    /// Stops watching `socket` (closing it does that too).
    func remove(_ socket: Int32) {
        _ = epoll_ctl(fd, EPOLL_CTL_DEL, socket, nil)
    }

    /// Waits up to `timeoutMilliseconds` and calls `body` with each ready socket.
    /// - Returns: 0, or the errno (`EINTR` is swallowed).
    func wait(timeoutMilliseconds: Int32, _ body: (Int32) -> Void) -> Int32 {
        let count = events.withUnsafeMutableBufferPointer {
            epoll_wait(fd, $0.baseAddress, Int32($0.count), timeoutMilliseconds)
        }
        if count < 0 { return errno == EINTR ? 0 : errno }
        for index in 0..<Int(count) { body(events[index].data.fd) }
        return 0
    }
}
