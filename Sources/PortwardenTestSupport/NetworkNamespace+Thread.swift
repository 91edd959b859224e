import CPortwardenLinux
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension NetworkNamespace {
    /// Why entering the namespace from this process failed.
    public struct EnterError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `body` on a new thread that has joined this namespace (`setns(CLONE_NEWNET)` affects
    /// only the calling thread), and returns its result. Sockets that `body` creates live in the
    /// namespace, so a synchronous scanner or /proc reader can be tested in-process. `body` must
    /// not hop to other threads (no `await`).
    public func runOnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let box = LockedBox<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let path = "/var/run/netns/\(name)"
        let thread = Thread {
            defer { done.signal() }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                box.set(.failure(EnterError(description: "cannot open \(path): errno \(errno)")))
                return
            }
            defer { close(fd) }
            guard CPortwardenLinux_setns(fd, CPortwardenLinux_CLONE_NEWNET()) == 0 else {
                box.set(.failure(EnterError(description: "setns(\(path)) failed: errno \(errno)")))
                return
            }
            box.set(Result { try body() })
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
        guard let result = box.get() else { throw EnterError(description: "the namespace thread returned nothing") }
        return try result.get()
    }
}
