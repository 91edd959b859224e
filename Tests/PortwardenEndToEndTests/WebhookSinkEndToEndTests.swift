import Foundation
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--webhook`: alerts reach an HTTP receiver on loopback inside a namespace the test creates, also when it
/// answers the first attempts with 503; a receiver that is not there costs the alerts, never the run.
@Suite(
    "webhook sink, end to end",
    .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"),
    .enabled(if: NetworkNamespace.unavailableReason == nil, "\(NetworkNamespace.unavailableReason ?? "")"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs /usr/bin/python3"),
    .enabled(if: Shell.which("setpriv") != nil, "needs setpriv (util-linux) to run the receiver as nobody"))
struct WebhookSinkEndToEndTests {
    /// Three alerts under `IngestEndToEndTests.policy`: sources in corp and in no zone reaching pg, which permits cde-app only, and an undeclared port.
    static let log = """
        Nov 29 03:04:13 fw1 kernel: PW-ACCEPT cde-db IN=eth0 OUT= SRC=10.20.2.7 DST=10.20.1.10 LEN=60 PROTO=TCP SPT=40000 DPT=5432 SYN
        Nov 29 03:04:14 fw1 kernel: PW-ACCEPT cde-db IN=eth0 OUT= SRC=10.0.3.3 DST=10.20.1.10 LEN=60 PROTO=TCP SPT=40001 DPT=5432 SYN
        Nov 29 03:04:15 fw1 kernel: PW-ACCEPT cde-db IN=eth0 OUT= SRC=10.99.0.4 DST=10.20.1.10 LEN=60 PROTO=TCP SPT=40002 DPT=5432 SYN
        Nov 29 03:04:16 fw1 kernel: PW-ACCEPT cde-app IN=eth0 OUT= SRC=10.20.2.7 DST=10.20.2.9 LEN=60 PROTO=TCP SPT=40003 DPT=8080 SYN

        """

    /// An HTTP receiver: answers the first FAIL posts with 503, then 204, appending `PATH TAB TYPE TAB BODY`
    /// of every accepted post to OUT.
    static let receiver = """
        import http.server, sys
        port, out, fail = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        seen = [0]
        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
                seen[0] += 1
                if seen[0] <= fail:
                    self.send_response(503)
                    self.send_header('Content-Length', '0')
                    self.end_headers()
                    return
                with open(out, 'ab') as f:
                    f.write(self.path.encode() + b'\\t' + self.headers.get('Content-Type', '').encode() + b'\\t' + body + b'\\n')
                self.send_response(204)
                self.end_headers()
            def log_message(self, *args):
                pass
        http.server.HTTPServer(('127.0.0.1', port), Receiver).serve_forever()
        """

    @Test("every alert printed is posted once, after 503 answers to the first two attempts")
    func deliveredAfterRetries() throws {
        let scratch = try ScratchDirectory()
        try Shell.run("chown", "nobody", scratch.url.path)
        let namespace = try NetworkNamespace(prefix: "hook")
        defer { namespace.remove() }
        let received = scratch.path("received.txt")
        let script = try scratch.write("receiver.py", Self.receiver)
        let server = try namespace.spawn([
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", script, "8088",
            received, "2",
        ])
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        for _ in 0..<100 {
            if try namespace.run(["ss", "-H", "-ltn"]).stdout.contains("127.0.0.1:8088 ") { break }
            usleep(50_000)
        }
        let result = try Binary.run(in: namespace, try ingest(scratch, webhook: "http://127.0.0.1:8088/hooks/pw"))
        #expect(result.status == 1, "\(result.stderr)")
        let printed = result.stdout.split(separator: "\n").map(String.init)
        #expect(printed.count == 3, "\(result.stdout)")
        let posts = ((try? String(contentsOfFile: received, encoding: .utf8)) ?? "").split(separator: "\n")
        let fields = posts.map { $0.split(separator: "\t", maxSplits: 2).map(String.init) }
        #expect(fields.allSatisfy { $0.count == 3 && $0[0] == "/hooks/pw" && $0[1] == "application/json" })
        #expect(fields.compactMap(\.last).sorted() == printed.sorted(), "each alert once, as printed")
        #expect(result.stderr.contains("webhook http://127.0.0.1:8088/hooks/pw: 3 alerts delivered, 2 failed attempts"))
        #expect(!result.stderr.contains("not delivered"), "\(result.stderr)")
        #expect(result.stderr.contains("HTTP 503; retrying with back-off"), "\(result.stderr)")
    }

    @Test("with no receiver listening, the run still ends with every alert printed and the loss reported")
    func noReceiver() throws {
        let scratch = try ScratchDirectory()
        let namespace = try NetworkNamespace(prefix: "hook")
        defer { namespace.remove() }
        let result = try Binary.run(in: namespace, try ingest(scratch, webhook: "http://127.0.0.1:8089/"))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 3, "\(result.stdout)")
        #expect(result.stderr.contains("cannot connect (Connection refused); retrying with back-off, alerts go on"))
        #expect(result.stderr.contains("0 alerts delivered"), "\(result.stderr)")
        #expect(result.stderr.contains("3 not delivered (0 refused by the receiver, 0 dropped"), "\(result.stderr)")
    }

    @Test("a webhook URL that cannot be used is an input error before anything is read")
    func badURL() throws {
        let scratch = try ScratchDirectory()
        let result = try Binary.run(try ingest(scratch, webhook: "ftp://10.0.0.1:21/"))
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("expected http://ADDRESS:PORT/PATH or https://ADDRESS:PORT/PATH"), "\(result.stderr)"
        )
        #expect(result.stdout.isEmpty)
    }

    private func ingest(_ scratch: ScratchDirectory, webhook: String) throws -> [String] {
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", Self.log)
        return [
            "ingest", "--policy", policy, "--format", "netfilter", log, "--no-store", "--at", "2026-12-01T00:00:00Z",
            "--output", "json", "--webhook", webhook,
        ]
    }
}
