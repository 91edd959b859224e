import PortwardenCore
import PortwardenMonitor
import PortwardenScan
import PortwardenStore

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads log files (and standard input) into the pipeline: once to their end, or following them (polling) through rotation
/// (rename + new file) and truncation (copytruncate). With a store, events and the files' positions are
/// committed together every `commitEvery` lines, at least once a second while lines arrive, when the
/// inputs go idle and at the end, so that a process killed at any moment resumes without losing or
/// repeating an event.
final class LogFollower {
    struct Settings {
        var follow = false
        var commitEvery: Int64 = 10_000
        /// How long to sleep when every input is at its end (following).
        var pollInterval: TimeInterval = 0.2
    }

    let pipeline: IngestPipeline
    let settings: Settings
    let stop: ScanCancellation
    private var cursors: [LogFileCursor]
    /// Counts of cursors that were replaced (rotated files) in this run.
    private var retiredCounts = LogCounts()
    private var lastCommit = Date()
    /// Called between reads and polls while following (timers, policy reload); it checks its own clock.
    var onTimer: (() throws -> Void)?

    /// One input: a file path (or `-`, standard input) and its format.
    typealias Input = MonitorInput

    /// Standard input, when it is one of the inputs: read whenever it has bytes, never waited on.
    private var stdin: (reader: LogLineReader, open: Bool)?
    /// Syslog receivers (monitor): read whenever their sockets have bytes; they keep no offsets.
    private let receivers: [SyslogReceiver]

    /// Opens each file at its committed position in the pipeline's store (from the start without one).
    init(
        inputs: [Input], receivers: [SyslogReceiver] = [], now: Date, pipeline: IngestPipeline, settings: Settings,
        stop: ScanCancellation
    ) throws {
        self.pipeline = pipeline
        self.settings = settings
        self.stop = stop
        self.receivers = receivers
        if let standard = inputs.first(where: { $0.path == "-" }) {
            stdin = (LogLineReader(format: standard.format, file: "<stdin>", now: now), true)
        }
        cursors = try inputs.filter { $0.path != "-" }.map { input in
            let stored = try pipeline.store.flatMap { store in
                try StoreFailure.run { try store.logOffset(input: input.path) }
            }
            return try LogFileCursor.open(
                input.path, format: input.format, now: now, stored: stored,
                warn: { Terminal.writeError("portwarden: \($0)") })
        }
    }

    /// What was read in this run, over every file.
    var counts: LogCounts {
        var total = retiredCounts
        if let stdin { total.add(stdin.reader.counts) }
        for receiver in receivers { total.add(receiver.counts) }
        for cursor in cursors { total.add(cursor.runCounts) }
        return total
    }

    /// Whether any input continued after a position committed by an earlier run.
    var resumed: Bool { cursors.contains { $0.resumed } }

    /// Reads until every input is at its end (once), or until `stop` is raised (following).
    func run() throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !stop.isCancelled {
            var progressed = try readStandardInput(&buffer, wait: !settings.follow)
            progressed = try drainReceivers() || progressed
            for index in cursors.indices where !stop.isCancelled {
                progressed = try drain(index, &buffer) || progressed
                if settings.follow { try followChanges(index, &buffer) }
            }
            guard settings.follow else { break }
            // Standard input alone, once it has ended, leaves nothing to follow.
            if cursors.isEmpty && stdin?.open != true && receivers.isEmpty { break }
            try onTimer?()
            if !progressed && !stop.isCancelled {
                if uncommittedLines > 0 || pipeline.hasPendingAlerts { try commit() }
                waitForInput()
            }
        }
        for receiver in receivers {
            let pipeline = self.pipeline
            let input = receiver.name
            receiver.closeAll { pipeline.handle($0, input: input) }
        }
        if !settings.follow && pipeline.store == nil {
            // Read once without a store: a last line without a newline is parsed (and reported if broken).
            for cursor in cursors { cursor.finish(handler(cursor)) }
        } else if !settings.follow {
            for cursor in cursors where cursor.reader.pendingByteCount > 0 {
                Terminal.writeError(
                    "portwarden: \(cursor.input): the last line has no newline yet; it is read by the next run")
            }
        }
        try commit()
    }

    /// Reads what standard input has (to its end when `wait`, else only what is there now).
    private func readStandardInput(_ buffer: inout [UInt8], wait: Bool) throws -> Bool {
        guard var input = stdin, input.open else { return false }
        defer { stdin = input }
        var progressed = false
        let pipeline = self.pipeline
        let handle = { (item: LogReaderItem) in pipeline.handle(item, input: "<stdin>") }
        while !stop.isCancelled {
            if !wait {
                var ready = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
                if poll(&ready, 1, 0) <= 0 { break }
            }
            let size = buffer.count
            let count = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, size) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CLIFailure.input("<stdin>: \(FileBytes.lastError(path: "<stdin>"))")
            }
            if count == 0 {
                input.reader.finish(handle)
                input.open = false
                break
            }
            progressed = true
            input.reader.feed(buffer[0..<count], handle)
        }
        return progressed
    }

    /// Commits what was judged with every file's position.
    func commit() throws {
        try pipeline.commit(cursors.map(\.position))
        for cursor in cursors { cursor.markCommitted() }
        for receiver in receivers { receiver.markCommitted() }
        lastCommit = Date()
    }

    private var uncommittedLines: Int64 {
        cursors.reduce(0) { $0 + $1.uncommittedLines } + receivers.reduce(0) { $0 + $1.uncommitted }
    }

    /// Reads what every receiver has now; commits as files do.
    private func drainReceivers() throws -> Bool {
        var progressed = false
        for receiver in receivers where !stop.isCancelled {
            let pipeline = self.pipeline
            let input = receiver.name
            guard receiver.drain({ pipeline.handle($0, input: input) }) else { continue }
            progressed = true
            if uncommittedLines >= settings.commitEvery || Date().timeIntervalSince(lastCommit) >= 1 { try commit() }
        }
        return progressed
    }

    /// Sleeps the poll interval, or less when a receiver's socket has something to read.
    private func waitForInput() {
        let timeout = Int32(settings.pollInterval * 1000)
        guard !receivers.isEmpty else {
            usleep(UInt32(timeout) * 1000)
            return
        }
        var descriptors = receivers.flatMap(\.descriptors).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        _ = poll(&descriptors, nfds_t(descriptors.count), timeout)
    }

    /// Reads cursor `index` to its current end (and on into the path's current file after a rotated one).
    private func drain(_ index: Int, _ buffer: inout [UInt8]) throws -> Bool {
        var progressed = false
        while !stop.isCancelled {
            let cursor = cursors[index]
            let count = try cursor.readChunk(&buffer, handler(cursor))
            if count > 0 {
                progressed = true
                if uncommittedLines >= settings.commitEvery || Date().timeIntervalSince(lastCommit) >= 1 {
                    try commit()
                }
                continue
            }
            guard cursor.successor != nil else { break }
            // The rest of a file rotated away before the last run ended is read; go on with the new file.
            cursor.finish(handler(cursor))
            retire(index, for: cursor.handOver())
            progressed = true
        }
        return progressed
    }

    private func followChanges(_ index: Int, _ buffer: inout [UInt8]) throws {
        let cursor = cursors[index]
        switch cursor.change() {
        case .none:
            break
        case .rotated:
            // The writer may have written to the old file until it reopened: read it to its end first.
            _ = try drain(index, &buffer)
            cursor.finish(handler(cursor))
            retire(index, for: try cursor.reopened())
            try commit()
        case .truncated:
            Terminal.writeError("portwarden: \(cursor.input): truncated; reading it from its start")
            try cursor.restart()
            try commit()
        }
    }

    private func retire(_ index: Int, for next: LogFileCursor?) {
        guard let next else { return }
        retiredCounts.add(cursors[index].runCounts)
        cursors[index] = next
    }

    private func handler(_ cursor: LogFileCursor) -> (LogReaderItem) -> Void {
        let pipeline = self.pipeline
        let input = cursor.input
        return { pipeline.handle($0, input: input) }
    }
}
