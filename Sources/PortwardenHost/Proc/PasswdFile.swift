import PortwardenCore

/// uid → user name from an `/etc/passwd`-format file (no `getpwuid`, so fixture files work and
/// NSS is never consulted).
struct PasswdFile: Sendable {
    /// The first name listed for each uid.
    var names: [UInt32: String] = [:]
    /// Lines that could not be parsed.
    var problems: [Diagnostic] = []

    /// Parses the text of a passwd file: `name:password:uid:gid:gecos:home:shell`.
    init(text: String, file: String) {
        var lineNumber = 0
        for line in text.textLines {
            lineNumber += 1
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 4, !fields[0].isEmpty, let uid = UInt32(fields[2]) else {
                problems.append(
                    Diagnostic.inventory(
                        .malformedLine, file: file, line: lineNumber,
                        message: "not a passwd entry (name:password:uid:gid:…); skipped"))
                continue
            }
            if names[uid] == nil { names[uid] = String(fields[0]) }
        }
    }

    /// Reads and parses `path`; an unreadable file is one problem and an empty table.
    static func load(_ path: String) -> PasswdFile {
        switch SystemCalls.readFile(path) {
        case .success(let bytes):
            return PasswdFile(text: String(decoding: bytes, as: UTF8.self), file: path)
        case .failure(let error):
            var empty = PasswdFile(text: "", file: path)
            empty.problems.append(
                Diagnostic.inventory(
                    .unreadableFile, file: path, message: "cannot read (\(error.message)); users shown as uids"))
            return empty
        }
    }
}
