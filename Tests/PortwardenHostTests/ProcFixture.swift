import Foundation
import PortwardenCore

/// A fake /proc tree in a temporary directory, for inventory tests that need exact input.
final class ProcFixture {
    let root: URL
    let passwd: String
    let netns: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pw-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        passwd = root.appendingPathComponent("passwd").path
        netns = root.appendingPathComponent("netns").path
        try FileManager.default.createDirectory(atPath: netns, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var procRoot: String { root.appendingPathComponent("proc").path }

    /// Writes `text` at `relative` under the proc root, creating directories.
    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: procRoot).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Creates a symbolic link at `relative` pointing to `target` (which need not exist).
    func link(_ relative: String, to target: String) throws {
        let url = URL(fileURLWithPath: procRoot).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    func writePasswd(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: passwd))
    }

    static let tcpHeader =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    static let tcp6Header =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

    /// One table row in the kernel's layout.
    static func row(
        _ index: Int, _ local: String, _ remote: String, state: String, uid: Int = 0, inode: UInt64
    )
        -> String
    {
        "  \(index): \(local) \(remote) \(state) 00000000:00000000 00:00000000 00000000  \(uid)        0 \(inode) 1 0000000000000000 100 0 0 10 0\n"
    }
}
