import Foundation
import PortwardenStore
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The on-disk webhook queue: alerts not delivered survive the end of a run, a SIGKILL and a receiver that
/// is away for a while; a torn record is reported, a file that is not a queue is refused and left alone.
/// The receiver is Python's HTTP server as `nobody` on loopback inside a namespace the test creates.
@Suite(
    "webhook queue on disk, end to end",
    .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"),
    .enabled(if: NetworkNamespace.unavailableReason == nil, "\(NetworkNamespace.unavailableReason ?? "")"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs /usr/bin/python3"),
    .enabled(if: Shell.which("setpriv") != nil, "needs setpriv (util-linux) to run the receiver as nobody"))
struct WebhookQueueEndToEndTests {
    /// An HTTP receiver answering 204, appending `DELIVERY TAB BODY` of every post to OUT.
    static let receiver = """
        import http.server, sys
        port, out = int(sys.argv[1]), sys.argv[2]
        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
                with open(out, 'ab') as f:
                    f.write(self.headers.get('X-Portwarden-Delivery', '-').encode() + b'\\t' + body + b'\\n')
                self.send_response(204)
                self.end_headers()
            def log_message(self, *args):
                pass
        http.server.HTTPServer(('127.0.0.1', port), Receiver).serve_forever()
        """

    /// Traffic from cde-app to an undeclared port of 10.20.2.9: one alert per port.
    static func undeclared(_ n: Int) -> String {
        "Nov 29 03:04:\(10 + n) fw1 kernel: PW-ACCEPT cde-app IN=eth0 OUT= SRC=10.20.2.7 DST=10.20.2.9 LEN=60 "
            + "PROTO=TCP SPT=\(40_000 + n) DPT=\(8100 + n) SYN\n"
    }

    @Test(
        "monitor: alerts raised while the receiver is down wait on disk through a SIGKILL and all arrive when it is back"
    )
    func monitorSurvivesSIGKILL() throws {
        let scratch = try ScratchDirectory()
        try Shell.run("chown", "nobody", scratch.url.path)
        let namespace = try NetworkNamespace(prefix: "whq")
        defer { namespace.remove() }
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        // Permitted traffic first, more than the 1 KiB head by which a restart recognises the file.
        let permitted = (1...10).map(IngestStoreEndToEndTests.permitted).joined()
        let log = try scratch.write("fw.log", permitted)
        let config = try scratch.write(
            "monitor.conf",
            "input netfilter \(log)\nwebhook http://127.0.0.1:8090/hook\nwebhook-attempts 100\nwebhook-timeout 2\n"
                + "commit-every 1\ncheck-every 3600\n")
        let received = scratch.path("received.txt")
        let store = try StoreProbe(scratch.path("store"))
        let monitor = ["monitor", "--policy", policy, "--config", config, "--output", "json"] + db

        let server = try Receiver(in: namespace, script: scratch, output: received)
        let first = try NamespacedChild(monitor, in: namespace, scratch: scratch)
        defer { first.kill() }
        try FileHandle.append(log, Self.undeclared(1) + Self.undeclared(2))
        try first.wait("two alerts posted") { Self.posts(received).count == 2 }

        // The receiver goes away; three more alerts wait in the queue file, then the monitor is killed.
        server.stop()
        try FileHandle.append(log, Self.undeclared(3) + Self.undeclared(4) + Self.undeclared(5))
        try first.wait("five alerts printed and committed, a failed attempt") {
            let committed = try store.read { try $0.logOffset(input: log) }?.line
            return first.stdoutLines.count == 5 && first.stderr.contains("cannot connect") && committed == 15
        }
        first.kill()
        #expect(Self.posts(received).count == 2, "nothing posted while the receiver was away")

        let second = try NamespacedChild(monitor, in: namespace, scratch: scratch)
        defer { second.kill() }
        try second.wait("the queue is read") { second.stderr.contains("3 alerts waiting from the last run") }
        try FileHandle.append(log, Self.undeclared(6))
        try second.wait("the sixth alert printed") { second.stdoutLines.count == 1 }
        usleep(1_000_000)
        let back = try Receiver(in: namespace, script: scratch, output: received)
        let printed = Set(first.stdoutLines + second.stdoutLines)
        #expect(printed.count == 6, "\(first.stdoutLines) \(second.stdoutLines)")
        try second.wait("every alert posted") { Set(Self.posts(received).map(\.body)).isSuperset(of: printed) }
        #expect(second.terminate() == 0, "\(second.stderr)")
        #expect(second.stderr.contains("4 alerts delivered"), "\(second.stderr)")
        #expect(!second.stderr.contains("kept in"), "\(second.stderr)")

        // After a graceful stop nothing delivered is posted again.
        let before = Self.posts(received)
        let third = try NamespacedChild(monitor, in: namespace, scratch: scratch)
        defer { third.kill() }
        try third.wait("the monitor runs") { third.stderr.contains("portwarden: monitoring") }
        usleep(1_500_000)
        #expect(third.terminate() == 0, "\(third.stderr)")
        #expect(!third.stderr.contains("waiting from the last run"), "\(third.stderr)")
        let posts = Self.posts(received)
        #expect(posts.map(\.delivery) == before.map(\.delivery), "no post after the graceful stop")
        back.stop()

        // Every alert arrived once: the receiver was away at the SIGKILL, so no attempt was in flight.
        #expect(Set(posts.map(\.body)) == printed)
        #expect(Set(posts.map(\.delivery)).count == 6, "one delivery id per alert: \(posts)")
        #expect(posts.count == 6, "\(posts)")
    }

    @Test("ingest: alerts not delivered stay in the file for the next run; a torn record is reported and skipped")
    func ingestKeepsTheQueue() throws {
        let scratch = try ScratchDirectory()
        try Shell.run("chown", "nobody", scratch.url.path)
        let namespace = try NetworkNamespace(prefix: "whq")
        defer { namespace.remove() }
        let queue = scratch.path("queue")
        let arguments = try ingest(scratch, queue: queue)
        let alone = try Binary.run(in: namespace, arguments)
        #expect(alone.status == 1, "\(alone.stderr)")
        #expect(alone.stderr.contains("0 alerts delivered"), "\(alone.stderr)")
        #expect(alone.stderr.contains("; 3 alerts kept in \(queue) for the next start"), "\(alone.stderr)")
        #expect(!alone.stderr.contains("not delivered"), "\(alone.stderr)")

        // A record torn when the process stopped: its first 6 bytes.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: queue)[.size] as? Int)
        try FileHandle.append(queue, "WQ\u{20}\u{0}\u{0}\u{0}")
        let received = scratch.path("received.txt")
        let server = try Receiver(in: namespace, script: scratch, output: received, port: 8091)
        let again = try Binary.run(in: namespace, arguments)
        server.stop()
        #expect(again.status == 1, "\(again.stderr)")
        #expect(
            again.stderr.contains("webhook queue \(queue): byte \(size): the last record is torn (6 bytes"),
            "\(again.stderr)")
        #expect(again.stderr.contains("3 alerts waiting from the last run; delivery resumes"), "\(again.stderr)")
        #expect(again.stderr.contains("6 alerts delivered"), "\(again.stderr)")
        let posts = Self.posts(received)
        #expect(posts.count == 6 && Set(posts.map(\.delivery)).count == 6, "\(posts)")
        #expect(Set(posts.map(\.body)).count == 3, "the same three alerts from each run")
        let third = try Binary.run(in: namespace, arguments)
        #expect(!third.stderr.contains("torn"), "the torn record was compacted away: \(third.stderr)")
        #expect(third.stderr.contains("3 alerts kept in"), "\(third.stderr)")
    }

    @Test("a file that is not a webhook queue is an input error and is left as it was")
    func notAQueueFile() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("alerts.jsonl", "{\"rule\":\"PW-X\"}\n")
        let result = try Binary.run(try ingest(scratch, queue: path))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "\(path): byte 0: not a portwarden webhook queue file (it does not start with PWWQ); move it away"),
            "\(result.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"rule\":\"PW-X\"}\n")
        #expect(result.stdout.isEmpty)
    }

    @Test("a queue file another process holds is an input error: two runs never share one queue")
    func queueFileInUse() throws {
        let scratch = try ScratchDirectory()
        try Shell.run("chown", "nobody", scratch.url.path)
        let queue = scratch.path("queue")
        let holder = try Shell.spawn([
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
            "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.flock(f, fcntl.LOCK_EX)\n"
                + "open(sys.argv[1] + '.held', 'w').close()\ntime.sleep(60)",
            queue,
        ])
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: queue + ".held") { usleep(50_000) }
        try #require(FileManager.default.fileExists(atPath: queue + ".held"), "the lock holder did not start")
        let result = try Binary.run(try ingest(scratch, queue: queue))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(
            result.stderr.contains("\(queue): the webhook queue file is in use by another portwarden process"),
            "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    private func ingest(_ scratch: ScratchDirectory, queue: String) throws -> [String] {
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", WebhookSinkEndToEndTests.log)
        return [
            "ingest", "--policy", policy, "--format", "netfilter", log, "--no-store", "--at", "2026-12-01T00:00:00Z",
            "--output", "json", "--webhook", "http://127.0.0.1:8091/", "--webhook-timeout", "1",
            "--webhook-queue-file", queue,
        ]
    }

    /// The posts the receiver wrote, in order.
    static func posts(_ path: String) -> [(delivery: String, body: String)] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map {
            let fields = $0.split(separator: "\t", maxSplits: 1).map(String.init)
            return (fields[0], fields.count > 1 ? fields[1] : "")
        }
    }
}

/// The receiver script as `nobody` inside the namespace on 127.0.0.1:PORT, until the value is released.
private final class Receiver {
    let process: Process

    init(in namespace: NetworkNamespace, script directory: ScratchDirectory, output: String, port: Int = 8090) throws {
        let script = try directory.write("receiver.py", WebhookQueueEndToEndTests.receiver)
        process = try namespace.spawn([
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", script, String(port),
            output,
        ])
        for _ in 0..<100 {
            if try namespace.run(["ss", "-H", "-ltn"]).stdout.contains("127.0.0.1:\(port) ") { return }
            usleep(50_000)
        }
        kill(process.processIdentifier, SIGKILL)
        throw SetupError(message: "the receiver did not listen on \(port) within 5 s")
    }

    deinit { stop() }

    /// SIGKILL, and waits for the end; safe to call twice.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A `portwarden` child inside a namespace (`ip netns exec` execs it, so signals reach it), stdout and
/// stderr in files.
private final class NamespacedChild {
    let process = Process()
    private let outputPath: String
    private let errorPath: String

    init(_ arguments: [String], in namespace: NetworkNamespace, scratch: ScratchDirectory) throws {
        let tag = UUID().uuidString.prefix(8)
        outputPath = scratch.path("stdout-\(tag)")
        errorPath = scratch.path("stderr-\(tag)")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: try #require(Shell.which("ip")))
        process.arguments = ["netns", "exec", namespace.name, try Binary.path()] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
    }

    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    var stdoutLines: [String] {
        ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Waits (up to 60 s, a guard against a hang, not a timed assertion) until `condition` holds.
    func wait(_ what: String, _ condition: () throws -> Bool) throws {
        for _ in 0..<600 {
            if try condition() { return }
            guard process.isRunning else { throw SetupError(message: "portwarden ended early: \(stderr)") }
            usleep(100_000)
        }
        throw SetupError(message: "not within 60 s: \(what): \(stderr)")
    }

    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func terminate() -> Int32 {
        Glibc.kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }
}
