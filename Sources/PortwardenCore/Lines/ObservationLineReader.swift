#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads observation JSON lines incrementally: feed it chunks of any size as they come from a file
/// or standard input, and it hands back each line's ``ObservationLine`` or a located
/// ``Diagnostic``. Memory stays bounded by the longest line (at most 1 MiB; longer lines are
/// reported and skipped), whatever the size of the input.
public struct ObservationLineReader {
    /// One line's outcome.
    public enum Item {
        /// A valid line; valid only during the callback (call ``ObservationLine/observation()`` to keep it).
        case line(ObservationLine)
        /// A line that could not be used, with its line and column.
        case problem(Diagnostic)
    }

    /// Lines longer than this are problems, not observations.
    public static let maximumLineLength = 1 << 20

    /// The file name used in diagnostics (`<stdin>` for standard input).
    public let source: String
    /// Lines seen so far, blank and comment lines included.
    public private(set) var lineCount = 0
    private var parser = ObservationLineParser()
    private var pending: [UInt8] = []
    private var overlong = false

    /// Creates a reader.
    /// - Parameter source: the file name for diagnostics.
    public init(source: String) {
        self.source = source
    }

    /// Consumes a chunk and calls `body` for every line it completes.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (Item) throws -> Void) rethrows {
        try feed(chunk, lines: { try body(.line($0)) }, problems: { try body(.problem($0)) })
    }

    /// Consumes a chunk and calls `lines` for every valid line it completes, `problems` for every
    /// broken one: the same as ``feed(_:_:)-(UnsafeRawBufferPointer,_)`` without wrapping each line
    /// in an ``Item`` (a parsed line is a few hundred bytes, and a reader of a million lines copies
    /// each of them once less).
    public mutating func feed(
        _ chunk: UnsafeRawBufferPointer, lines: (ObservationLine) throws -> Void,
        problems: (Diagnostic) throws -> Void
    ) rethrows {
        var start = 0
        let count = chunk.count
        while let index = Self.newline(in: chunk, from: start) {
            if pending.isEmpty, !overlong, index - start <= Self.maximumLineLength {
                try endLine(UnsafeRawBufferPointer(rebasing: chunk[start..<index]), lines, problems)
            } else {
                append(UnsafeRawBufferPointer(rebasing: chunk[start..<index]))
                try endPendingLine(lines, problems)
            }
            start = index + 1
        }
        if start < count { append(UnsafeRawBufferPointer(rebasing: chunk[start..<count])) }
    }

    /// The offset of the first line feed at or after `start`: the C library's `memchr`, which reads
    /// a vector register at a time (the eight-bytes-at-a-time loop it replaced was 6 % of `check`).
    static func newline(in chunk: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < chunk.count, let base = chunk.baseAddress else { return nil }
        guard let found = memchr(base + start, 0x0A, chunk.count - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// ``feed(_:_:)-(UnsafeRawBufferPointer,_)`` for bytes in an array.
    public mutating func feed(_ bytes: [UInt8], _ body: (Item) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, body) }
    }

    /// Ends the input: a last line without a newline is read too.
    public mutating func finish(_ body: (Item) throws -> Void) rethrows {
        try finish(lines: { try body(.line($0)) }, problems: { try body(.problem($0)) })
    }

    /// ``finish(_:)`` with the callbacks of ``feed(_:lines:problems:)``.
    public mutating func finish(lines: (ObservationLine) throws -> Void, problems: (Diagnostic) throws -> Void) rethrows
    {
        if !pending.isEmpty || overlong { try endPendingLine(lines, problems) }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !overlong else { return }
        if pending.count + bytes.count > Self.maximumLineLength {
            overlong = true
            pending.removeAll(keepingCapacity: false)
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    private mutating func endPendingLine(
        _ lines: (ObservationLine) throws -> Void, _ problems: (Diagnostic) throws -> Void
    ) rethrows {
        defer {
            pending.removeAll(keepingCapacity: pending.count <= 65536)
            overlong = false
        }
        if overlong {
            lineCount += 1
            try problems(Diagnostic(file: source, line: lineCount, message: "the line is longer than 1 MiB"))
            return
        }
        let line = pending
        try line.withUnsafeBytes { try endLine($0, lines, problems) }
    }

    private mutating func endLine(
        _ bytes: UnsafeRawBufferPointer, _ lines: (ObservationLine) throws -> Void,
        _ problems: (Diagnostic) throws -> Void
    ) rethrows {
        lineCount += 1
        guard !ObservationLineParser.isBlankOrComment(bytes) else { return }
        let parsed: ObservationLine
        do {
            parsed = try parser.parse(bytes, line: lineCount)
        } catch {
            try problems(Diagnostic(file: source, line: lineCount, column: error.offset + 1, message: error.message))
            return
        }
        try lines(parsed)
    }
}
