/// How far one log input has been read, committed with the events it produced so that a restart resumes
/// after the last committed line: nothing lost, nothing counted twice.
public struct LogOffset: Sendable, Hashable {
    /// The input's name (the path as given).
    public var input: String
    public var format: String
    /// The file's identity: device and inode, and the SHA-256 (hex) of its first `headLength` bytes, so that a
    /// file replaced at the same path, or truncated and rewritten, is not mistaken for the one read.
    public var device: UInt64
    public var inode: UInt64
    public var headLength: Int64
    public var headSHA256: String
    /// The byte offset after the last line whose events are committed, and that line's number.
    public var byteOffset: Int64
    public var line: Int64
    /// Events and broken lines read from this input so far (all files that were at this path).
    public var flows: Int64
    public var securityEvents: Int64
    public var problems: Int64
    /// When this position was last committed (microseconds; 0 for one not yet stored).
    public var updated: Int64 = 0

    public init(
        input: String, format: String, device: UInt64, inode: UInt64, headLength: Int64, headSHA256: String,
        byteOffset: Int64, line: Int64, flows: Int64 = 0, securityEvents: Int64 = 0, problems: Int64 = 0
    ) {
        self.input = input
        self.format = format
        self.device = device
        self.inode = inode
        self.headLength = headLength
        self.headSHA256 = headSHA256
        self.byteOffset = byteOffset
        self.line = line
        self.flows = flows
        self.securityEvents = securityEvents
        self.problems = problems
    }

    init?(row: [SQLValue]) {
        guard row.count == 13, let input = row[1].text, let format = row[2].text, let device = row[3].integer,
            let inode = row[4].integer, let headLength = row[5].integer, let head = row[6].text,
            let offset = row[7].integer, let line = row[8].integer, let flows = row[9].integer,
            let security = row[10].integer, let problems = row[11].integer
        else { return nil }
        self.init(
            input: input, format: format, device: UInt64(bitPattern: device), inode: UInt64(bitPattern: inode),
            headLength: headLength, headSHA256: head, byteOffset: offset, line: line, flows: flows,
            securityEvents: security, problems: problems)
        updated = row[12].integer ?? 0
    }

    func values(updated: Int64) -> [SQLValue] {
        [
            .text(input), .text(format), .integer(Int64(bitPattern: device)), .integer(Int64(bitPattern: inode)),
            .integer(headLength), .text(headSHA256), .integer(byteOffset), .integer(line), .integer(flows),
            .integer(securityEvents), .integer(problems), .integer(updated),
        ]
    }
}
