import Crypto
import PortwardenStore

/// Where to resume reading a log file from its committed position: the decision, without I/O, from what
/// the store recorded and what the path names now.
enum LogResume {
    /// The first bytes of a file kept to recognise it (`LogOffset.headLength` is at most this).
    static let headLimit = 1024

    /// What the path names now.
    struct FileState: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        /// The file's first bytes, up to `headLimit`.
        var head: [UInt8]
    }

    enum Decision: Equatable {
        /// The same file, at least as long as the committed offset: continue after it.
        case resume(byteOffset: Int64, line: Int64)
        /// The path names another file: the committed one was rotated away (renamed) or replaced.
        case replaced
        /// The same file, but shorter than the committed offset or rewritten (copytruncate): read it
        /// from the start.
        case truncated
    }

    static func decide(stored: LogOffset, current: FileState) -> Decision {
        guard current.device == stored.device, current.inode == stored.inode else { return .replaced }
        guard current.size >= stored.byteOffset, matches(head: current.head, stored: stored) else {
            return .truncated
        }
        return .resume(byteOffset: stored.byteOffset, line: stored.line)
    }

    /// Whether the first `stored.headLength` bytes of `head` hash to the recorded value.
    static func matches(head: [UInt8], stored: LogOffset) -> Bool {
        let length = Int(stored.headLength)
        guard length <= head.count else { return false }
        return hash(head.prefix(length)) == stored.headSHA256
    }

    static func hash(_ bytes: some Collection<UInt8>) -> String {
        Hex.encode(SHA256.hash(data: Array(bytes)))
    }
}
