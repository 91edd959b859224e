import Foundation
import PortwardenStore
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `portwarden ingest` with an evidence store: alerts kept by fingerprint, usage per service, file offsets
/// that make the next run go on where the last one stopped.
@Suite(
    "portwarden ingest into the store, end to end",
    .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"))
struct IngestStoreEndToEndTests {
    static let notPermitted =
        "Nov 29 03:04:14 fw1 kernel: PW-ACCEPT cde-db IN=eth0 OUT= SRC=10.0.3.3 DST=10.20.1.10 LEN=60 PROTO=TCP SPT=40001 DPT=5432 SYN\n"

    /// An accepted connection from cde-app to the declared service `pg` (use, no alert).
    static func permitted(_ n: Int) -> String {
        "Nov 29 03:04:13 fw1 kernel: PW-ACCEPT cde-db IN=eth0 OUT= SRC=10.20.2.\(n % 200 + 1) DST=10.20.1.10 "
            + "LEN=60 PROTO=TCP SPT=\(10_000 + n % 50_000) DPT=5432 SYN\n"
    }

    @Test("a repeated alert updates its row; usage adds up; a second run reads only what is new")
    func repeatsUpdateAndOffsetsResume() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", Self.permitted(1) + Self.notPermitted + Self.notPermitted)
        let ingest = ["ingest", "--policy", policy, "--format", "netfilter", log, "--at", "2026-12-01T00:00:00Z"] + db
        let first = try Binary.run(ingest)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stderr.contains("recorded in"), "\(first.stderr)")
        let store = try StoreProbe(scratch.path("store"))
        var alerts = try store.read { try $0.alerts() }
        #expect(alerts.count == 1)
        #expect(alerts.first?.rule == "PW-SOURCE-NOT-PERMITTED")
        #expect(alerts.first?.count == 2, "a throttled repeat counts")
        #expect(try store.read { try $0.serviceUsage() }.first?.hits == 1)

        try FileHandle.append(log, Self.notPermitted + Self.permitted(2))
        let second = try Binary.run(ingest)
        #expect(second.stderr.contains("2 lines read"), "\(second.stderr)")
        alerts = try store.read { try $0.alerts() }
        #expect(alerts.count == 1, "the same fingerprint is one row")
        #expect(alerts.first?.count == 3)
        let usage = try #require(try store.read { try $0.serviceUsage() }.first)
        #expect(usage.id == "pg")
        #expect(usage.kind == .service)
        #expect(usage.hits == 2)
        #expect(usage.sources == ["10.20.2.2", "10.20.2.3"])
        let offset = try #require(try store.read { try $0.logOffset(input: log) })
        #expect(offset.line == 5)
        #expect(offset.flows == 5)
        #expect(offset.byteOffset == Int64(try Data(contentsOf: URL(fileURLWithPath: log)).count))

        let third = try Binary.run(ingest)
        #expect(third.status == 0, "nothing new is no error: \(third.stderr)")
        #expect(third.stdout.isEmpty)
        #expect(third.stderr.contains("0 lines read"))

        let judgedOnly = try Binary.run(ingest + ["--no-store"])
        #expect(judgedOnly.stderr.contains("5 lines read"), "\(judgedOnly.stderr)")
        #expect(!judgedOnly.stderr.contains("recorded in"))
        #expect(try store.read { try $0.alerts() }.first?.count == 3, "--no-store keeps nothing")
        #expect(try Binary.run(["log", "verify"] + db).status == 0)
    }

    @Test("--follow reads through rotation (rename + new file) and truncation, and commits on SIGTERM")
    func followSurvivesRotationAndTruncation() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", (0..<3).map(Self.permitted).joined())
        let store = try StoreProbe(scratch.path("store"))
        let child = try ChildIngest(
            ["ingest", "--policy", policy, "--format", "netfilter", "--follow", log, "--at", "2026-12-01T00:00:00Z"]
                + db, scratch: scratch)
        defer { child.kill() }
        try store.waitForHits(3, child)
        // Rotation: the writer finishes the old file after the rename, then a new file appears.
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try FileHandle.append(log + ".1", Self.permitted(3) + Self.permitted(4))
        try (5..<8).map(Self.permitted).joined().write(toFile: log, atomically: false, encoding: .utf8)
        try store.waitForHits(8, child)
        // copytruncate: the file is emptied in place and written again from its start.
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.truncate(atOffset: 0)
        try handle.close()
        try (8..<10).map(Self.permitted).joined().write(toFile: log, atomically: false, encoding: .utf8)
        try store.waitForHits(10, child)
        let status = child.terminate()
        #expect(status == 0, "\(child.stderr)")
        #expect(child.stderr.contains("truncated"), "\(child.stderr)")
        let offset = try #require(try store.read { try $0.logOffset(input: log) })
        #expect(offset.flows == 10)
        #expect(offset.line == 2)
        #expect(try store.read { try $0.serviceUsage() }.first?.hits == 10)
    }

    /// A file under the 1 KiB head that grew after the last commit: resuming must not take it for
    /// rewritten (the head once held the uncommitted lines twice, and --follow read the file again).
    @Test("--follow resumes a short file with uncommitted lines without reading it twice")
    func followResumesShortFileOnce() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", (0..<3).map(Self.permitted).joined())
        let arguments =
            ["ingest", "--policy", policy, "--format", "netfilter", log, "--at", "2026-12-01T00:00:00Z"] + db
        #expect(try Binary.run(arguments).status == 0)
        try FileHandle.append(log, Self.permitted(3) + Self.permitted(4))
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)).count < 1024)
        let store = try StoreProbe(scratch.path("store"))
        let child = try ChildIngest(arguments + ["--follow"], scratch: scratch)
        defer { child.kill() }
        try store.waitForHits(5, child)
        // More lines, read after the follower has looked at the file again at least once.
        usleep(1_500_000)
        try FileHandle.append(log, Self.permitted(5))
        try store.waitForHits(6, child)
        usleep(1_500_000)
        #expect(child.terminate() == 0, "\(child.stderr)")
        #expect(!child.stderr.contains("truncated"), "\(child.stderr)")
        #expect(try store.read { try $0.serviceUsage() }.first?.hits == 6, "\(child.stderr)")
        #expect(try store.read { try $0.logOffset(input: log) }?.flows == 6)
    }

    @Test("killed with SIGKILL 20 times mid-stream and restarted: every event counted exactly once")
    func sigkillTwentyTimesCountsEachEventOnce() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", "")
        let store = try StoreProbe(scratch.path("store"))
        let arguments =
            ["ingest", "--policy", policy, "--format", "netfilter", "--follow", "--commit-every", "200", log]
            + ["--at", "2026-12-01T00:00:00Z"] + db
        var written = 0
        var midStream = 0
        for round in 0..<20 {
            let child = try ChildIngest(arguments, scratch: scratch)
            // Lines keep arriving while the process reads them; it is killed at a moment that varies per round.
            let batches = 5 + (round * 7) % 10
            for batch in 0..<batches {
                try FileHandle.append(log, (written..<written + 400).map(Self.permitted).joined())
                written += 400
                usleep(UInt32(10_000 + ((round * 13 + batch * 7) % 40) * 1_000))
            }
            child.kill()
            let committed = try store.read { try $0.logOffset(input: log) }?.flows ?? 0
            #expect(committed <= Int64(written), "round \(round): \(committed) flows committed of \(written) written")
            if committed < Int64(written) { midStream += 1 }
        }
        // A last run, stopped by SIGTERM once it has caught up, reads what the killed ones left. It
        // is given lines of its own and stopped only once they are counted: when a killed run had
        // committed everything, the hits were already there and SIGTERM reached the new process
        // before it had installed its handler (exit 15, seen once under load).
        let last = try ChildIngest(arguments, scratch: scratch)
        defer { last.kill() }
        try FileHandle.append(log, (written..<written + 400).map(Self.permitted).joined())
        written += 400
        try store.waitForHits(Int64(written), last)
        #expect(last.terminate() == 0, "\(last.stderr)")
        let offset = try #require(try store.read { try $0.logOffset(input: log) })
        #expect(offset.flows == Int64(written))
        #expect(offset.line == Int64(written))
        let usage = try #require(try store.read { try $0.serviceUsage() }.first)
        #expect(usage.hits == Int64(written), "every accepted flow counted exactly once")
        #expect(usage.sources.count == ServiceUsageRecord.sourceLimit)
        #expect(usage.moreSources)
        #expect(midStream > 0, "no round was killed with lines not yet committed")
        print("SIGKILL rounds: \(midStream) of 20 killed with lines not yet committed; \(written) lines in all")
        #expect(try Binary.run(["log", "verify"] + db).status == 0)
    }
}

/// Reads the store a test's `portwarden` wrote (read-only, while the binary may be writing).
struct StoreProbe {
    let location: StoreLocation

    init(_ directory: String) throws {
        location = try StoreLocation.resolve(db: directory, dataDirectory: directory)
    }

    func read<T>(_ body: (any EvidenceStore) throws -> T) throws -> T {
        let store = try StoreOpener.open(location, forWriting: false)
        defer { try? store.close() }
        return try body(store)
    }

    /// Waits (up to 60 s, a guard against a hang, not a timed assertion) until `pg`'s hits reach `hits`.
    func waitForHits(_ hits: Int64, _ child: ChildIngest) throws {
        try wait("\(hits) hits of pg", child) { try read { try $0.serviceUsage() }.first?.hits ?? 0 >= hits }
    }

    /// Waits (up to 60 s) until `condition` holds, while the child runs.
    func wait(_ what: String, _ child: ChildIngest, _ condition: () throws -> Bool) throws {
        for _ in 0..<600 {
            if try condition() { return }
            guard child.isRunning else { throw SetupError(message: "portwarden ended early: \(child.stderr)") }
            usleep(100_000)
        }
        throw SetupError(message: "not within 60 s: \(what): \(child.stderr)")
    }
}

/// A `portwarden` child process with its output in files.
final class ChildIngest {
    let process = Process()
    private let errorPath: String

    init(_ arguments: [String], scratch: ScratchDirectory) throws {
        errorPath = scratch.path("stderr-\(UUID().uuidString.prefix(8))")
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: try Binary.path())
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// SIGKILL, and waits for the end.
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGTERM; returns the exit status.
    func terminate() -> Int32 {
        Glibc.kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

extension FileHandle {
    /// Appends `text` to the file at `path`.
    static func append(_ path: String, _ text: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw SetupError(message: "cannot open \(path) for appending")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
