@testable import PortwardenHost

/// The small /proc and /etc text readers of the inventory: `/proc/PID/cgroup` and `/etc/passwd`.
enum ProcTextTarget: FuzzTarget {
    static let name = "proc-text"

    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        _ = CgroupPath(text: text)
        _ = PasswdFile(text: text, file: "passwd")
    }
}
