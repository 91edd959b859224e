import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Splits a byte stream into lines and parses each in the chosen format, keeping line numbers so
/// that a broken line is reported where it is. Chunks may end mid-line: the tail waits for the next
/// chunk, and `finish` parses a last line without a newline (a truncated last line is reported,
/// not lost silently). A line longer than ``maximumLineLength`` is reported once and skipped up to
/// its end, so that memory stays bounded whatever the input (a binary file, a log without line feeds).
public struct LogLineReader: Sendable {
    /// Lines longer than this (1 MiB) are problems, not records.
    public static let maximumLineLength = 1 << 20

    public let format: LogFormat
    public let file: String
    /// The number of the last line handed to the parser.
    public private(set) var lineNumber = 0
    /// Lines read, by what became of them.
    public private(set) var counts = LogCounts()
    private var pending: [UInt8] = []
    /// Bytes of the current over-long line already dropped (its end has not come yet), or `nil`.
    private var overlongDropped: Int?
    private var replayedLines = 0
    private var zeek = ZeekConnReader()
    private let netfilter: NetfilterLogParser
    private let sshd: SSHDAuthParser
    private let suricata = SuricataEveParser()

    /// - Parameters:
    ///   - format: the log format.
    ///   - file: the name used in problem reports (`-` for standard input).
    ///   - now: the reference time for syslog stamps without a year and lines without any time.
    public init(format: LogFormat, file: String, now: Date) {
        self.format = format
        self.file = file
        netfilter = NetfilterLogParser(now: now)
        sshd = SSHDAuthParser(now: now)
    }

    /// Bytes fed that wait for the rest of their line; `fed - pendingByteCount` is the offset after the
    /// last line handed to the parser.
    public var pendingByteCount: Int { pending.count + (overlongDropped ?? 0) }

    /// Continues numbering after `line` (a reader resuming an input at a committed position).
    public mutating func resume(afterLine line: Int) { lineNumber = line }

    /// Feeds the next chunk; `emit` is called for every record and problem, in line order.
    public mutating func feed(_ chunk: some Collection<UInt8>, _ emit: (LogReaderItem) -> Void) {
        pending.append(contentsOf: chunk)
        var start = 0
        // Slices of `pending` itself (no copy of the buffer, which `removeFirst` then shifts in place).
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if overlongDropped != nil {
                // The end of a line already reported as too long.
                overlongDropped = nil
            } else if newline - start > Self.maximumLineLength {
                reportOverlong(emit)
                overlongDropped = nil
            } else {
                var end = newline
                if end > start, pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                handle(pending[start..<end], emit)
            }
            start = newline + 1
        }
        pending.removeFirst(start)
        if pending.count > Self.maximumLineLength {
            if overlongDropped == nil {
                reportOverlong(emit)
                overlongDropped = 0
            }
            overlongDropped? += pending.count
            pending.removeAll(keepingCapacity: false)
        }
    }

    /// Counts and reports the next line as longer than the cap; its bytes are not parsed.
    private mutating func reportOverlong(_ emit: (LogReaderItem) -> Void) {
        lineNumber += 1
        counts.problems += 1
        emit(
            .problem(
                Diagnostic(
                    file: file, line: lineNumber, code: "line-too-long",
                    message: "the line is longer than 1 MiB; skipped to its end")))
    }

    /// Re-reads the header lines of the part of a file already committed (fed in chunks, `last` on the
    /// final one), so that a reader resuming mid-file knows its columns: Zeek `#` lines and a first line
    /// that may be a plain-TSV header row. Records are not judged or counted; other formats keep no
    /// header state and skip this.
    public mutating func replayHeaders(_ chunk: some Collection<UInt8>, last: Bool) {
        guard format == .zeek else { return }
        pending.append(contentsOf: chunk)
        var start = 0
        let bytes = pending
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            replayHeader(bytes[start..<newline])
            start = newline + 1
        }
        pending.removeFirst(start)
        if last {
            if !pending.isEmpty { replayHeader(pending[...]) }
            pending = []
        }
    }

    private mutating func replayHeader(_ line: ArraySlice<UInt8>) {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        defer { replayedLines += 1 }
        guard replayedLines == 0 || line.first == UInt8(ascii: "#") else { return }
        _ = try? zeek.read(Array(line)[...])
    }

    /// Parses what is left after the last newline.
    public mutating func finish(_ emit: (LogReaderItem) -> Void) {
        if overlongDropped != nil {
            // The rest of an over-long last line: already reported.
            overlongDropped = nil
            pending = []
            return
        }
        guard !pending.isEmpty else { return }
        let rest = pending
        pending = []
        handle(rest[...], emit)
    }

    private mutating func handle(_ line: ArraySlice<UInt8>, _ emit: (LogReaderItem) -> Void) {
        lineNumber += 1
        if LogCounts.isBlank(line) {
            counts.blank += 1
            return
        }
        let record: Result<LogRecord, LogLineError>
        do throws(LogLineError) {
            record = .success(try parse(line))
        } catch {
            record = .failure(error)
        }
        counts.tally(record, file: file, line: lineNumber, emit)
    }

    private mutating func parse(_ line: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        switch format {
        // The netfilter and Suricata parsers index from the slice's own start: no copy per line.
        case .netfilter: return try netfilter.parse(line)
        case .suricata: return try suricata.parse(line)
        case .sshd: return try sshd.parse(Array(line)[...])
        case .zeek: return try zeek.read(Array(line)[...])
        }
    }
}

/// One item of a log stream.
public enum LogReaderItem: Hashable, Sendable {
    case flow(FlowEvent)
    case security(SecurityEvent)
    case problem(Diagnostic)
}

/// How many lines became what.
public struct LogCounts: Hashable, Sendable {
    public var flows = 0
    public var securityEvents = 0
    /// Well-formed lines that carry nothing judged (headers, other event types, other programs).
    public var ignored = 0
    public var blank = 0
    public var problems = 0

    public init() {}

    public var lines: Int { flows + securityEvents + ignored + blank + problems }

    /// Whether a line or message holds nothing but spaces and tabs (counted as blank, never parsed).
    static func isBlank(_ content: ArraySlice<UInt8>) -> Bool {
        content.allSatisfy { $0 == LogBytes.space || $0 == LogBytes.tab }
    }

    /// Counts what one line or message became and hands its event, or its problem located at
    /// `file`:`line` and the byte column, to `emit`: the one place both readers (log files and
    /// syslog messages) count.
    mutating func tally(
        _ record: Result<LogRecord, LogLineError>, file: String, line: Int, _ emit: (LogReaderItem) -> Void
    ) {
        switch record {
        case .success(.flow(let event)):
            flows += 1
            emit(.flow(event))
        case .success(.security(let event)):
            securityEvents += 1
            emit(.security(event))
        case .success(.ignored):
            ignored += 1
        case .failure(let error):
            problems += 1
            emit(.problem(Diagnostic(file: file, line: line, column: error.offset + 1, message: error.message)))
        }
    }
}
