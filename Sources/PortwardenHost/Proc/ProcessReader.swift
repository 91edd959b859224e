import PortwardenCore

/// Reads who a process is from `/proc/<pid>`: executable, command line, uid, cgroup.
struct ProcessReader {
    let procRoot: String
    let passwd: PasswdFile

    /// The owner details of `pid`, and whether the process turned out to have exited mid-read
    /// (the details are then partial).
    func owner(pid: Int32) -> (owner: ProcessOwner, exited: Bool) {
        let base = "\(procRoot)/\(pid)"
        var exited = false
        var owner = ProcessOwner(pid: pid)
        switch SystemCalls.readLink("\(base)/exe") {
        case .success(let bytes):
            var path = String(decoding: bytes, as: UTF8.self)
            if path.hasSuffix(" (deleted)") { path.removeLast(10) }
            owner.executable = path
        case .failure(let error):
            exited = exited || (error.isGone && !exists(base))
        }
        switch SystemCalls.readFile("\(base)/cmdline") {
        case .success(let bytes):
            let args = bytes.split(separator: 0, omittingEmptySubsequences: true)
            if !args.isEmpty {
                owner.commandLine = args.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
            }
        case .failure(let error):
            exited = exited || error.isGone
        }
        switch SystemCalls.readFile("\(base)/status") {
        case .success(let bytes):
            owner.uid = Self.realUID(statusText: bytes)
            if let uid = owner.uid { owner.user = passwd.names[uid] }
        case .failure(let error):
            exited = exited || error.isGone
        }
        if case .success(let bytes) = SystemCalls.readFile("\(base)/cgroup") {
            let cgroup = CgroupPath(text: String(decoding: bytes, as: UTF8.self))
            owner.unit = cgroup.unit
            owner.container = cgroup.container
        }
        return (owner, exited)
    }

    private func exists(_ path: String) -> Bool {
        if case .success = SystemCalls.listDirectory(path) { return true }
        return false
    }

    /// The first number of the `Uid:` line of `/proc/<pid>/status` (real uid).
    static func realUID(statusText bytes: [UInt8]) -> UInt32? {
        let key = Array("Uid:".utf8)
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            if bytes[lineStart..<lineEnd].starts(with: key) {
                var i = lineStart + key.count
                while i < lineEnd, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
                var value: UInt64 = 0
                var digits = 0
                while i < lineEnd, bytes[i] >= 48, bytes[i] <= 57, digits < 10 {
                    value = value * 10 + UInt64(bytes[i] - 48)
                    digits += 1
                    i += 1
                }
                return digits > 0 && value <= UInt64(UInt32.max) ? UInt32(value) : nil
            }
            lineStart = lineEnd + 1
        }
        return nil
    }
}
