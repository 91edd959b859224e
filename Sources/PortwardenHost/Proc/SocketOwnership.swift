import PortwardenCore

/// Which processes hold which socket inodes, from the `socket:[inode]` links in `/proc/<pid>/fd`.
struct SocketOwnership {
    /// inode → pids holding it.
    var holders: [UInt64: [Int32]] = [:]
    /// fd directories that exist but could not be read (permissions).
    var unreadableDirectories = 0
    /// An example of an unreadable directory, for the message.
    var unreadableExample: String?
    var procRoot = "/proc"

    /// Scans the fd directories of `pids`, keeping only the inodes of `wanted`.
    static func scan(procRoot: String, pids: [Int32], wanted: [Listener]) -> SocketOwnership {
        var result = SocketOwnership()
        result.procRoot = procRoot
        let inodes = Set(wanted.map(\.inode))
        guard !inodes.isEmpty else { return result }
        for pid in pids {
            let path = "\(procRoot)/\(pid)/fd"
            let error = SystemCalls.forEachSocketInode(inFDDirectory: path) { inode in
                if inodes.contains(inode) { result.holders[inode, default: []].append(pid) }
            }
            if let error, !error.isGone {
                result.unreadableDirectories += 1
                if result.unreadableExample == nil { result.unreadableExample = "\(path): \(error.message)" }
            }
        }
        return result
    }

    /// The listeners with their owners filled in, and how many processes exited mid-read.
    func attribute(
        listeners: [Listener], ephemeral: [Listener], reader: ProcessReader
    )
        -> (listeners: [Listener], ephemeral: [Listener], exited: Int)
    {
        var cache: [Int32: ProcessOwner] = [:]
        var exited = 0
        func fill(_ listener: Listener) -> Listener {
            var copy = listener
            for pid in holders[listener.inode] ?? [] {
                if let owner = cache[pid] {
                    copy.owners.append(owner)
                    continue
                }
                let read = reader.owner(pid: pid)
                if read.exited { exited += 1 }
                cache[pid] = read.owner
                copy.owners.append(read.owner)
            }
            return copy
        }
        let filled = listeners.map(fill)
        let filledEphemeral = ephemeral.map(fill)
        return (filled, filledEphemeral, exited)
    }

    /// The problems the scan ran into.
    func problems(exited: Int) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if unreadableDirectories > 0 {
            problems.append(
                Diagnostic.inventory(
                    .ownersUnknown, file: "\(procRoot)/<pid>/fd",
                    message: "cannot read the fd directories of \(unreadableDirectories) processes "
                        + "(e.g. \(unreadableExample ?? "?")); run as root to see their sockets' owners"))
        }
        if exited > 0 {
            problems.append(
                Diagnostic.inventory(
                    .processExited, message: "\(exited) processes exited during the scan; their details are partial"))
        }
        return problems
    }
}
