import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One lock for every test that makes the kernel write netfilter LOG lines or reads them back
/// (dmesg). The lab's generated rulesets log their drops; while the kernel-log test has
/// `nf_log_all_netns` on, a segment-test in the lab floods the small kernel ring buffer and
/// pushes out the lines the kernel-log test waits for. `flock` on one file serializes them
/// across suites and processes.
public enum KernelLogLock {
    public static let path = "/tmp/portwarden-tests-kernel-log.lock"

    /// Waits for the lock and holds it until ``Held/release()`` (call it in a `defer`).
    public static func hold() -> Held {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
        if fd >= 0 {
            while flock(fd, LOCK_EX) != 0, errno == EINTR {}
        }
        return Held(fd: fd)
    }

    /// The held lock.
    public final class Held: Sendable {
        let fd: Int32

        init(fd: Int32) { self.fd = fd }

        /// Releases the lock.
        public func release() {
            if fd >= 0 { close(fd) }
        }
    }
}
