import Foundation
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--webhook https://…`: alerts reach a TLS receiver (Python's HTTP server wrapped in TLS, as `nobody`, on
/// loopback inside a namespace the test creates) whose certificate is made by a CA the test creates with
/// openssl; a certificate that does not verify, or does not name the address, is refused and the alerts
/// are counted as not delivered.
@Suite(
    "webhook sink over https, end to end",
    .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"),
    .enabled(if: NetworkNamespace.unavailableReason == nil, "\(NetworkNamespace.unavailableReason ?? "")"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs /usr/bin/python3"),
    .enabled(if: Shell.which("openssl") != nil, "needs openssl to make the test CA and certificates"),
    .enabled(if: Shell.which("setpriv") != nil, "needs setpriv (util-linux) to run the receiver as nobody"))
struct WebhookTLSEndToEndTests {
    /// The receiver of `WebhookQueueEndToEndTests` over TLS: PORT OUT CERT KEY.
    static let receiver = """
        import http.server, ssl, sys
        port, out, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
                with open(out, 'ab') as f:
                    f.write(self.headers.get('X-Portwarden-Delivery', '-').encode() + b'\\t' + body + b'\\n')
                self.send_response(204)
                self.end_headers()
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(('127.0.0.1', port), Receiver)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.serve_forever()
        """

    /// A CA and two server certificates it signs: `good.pem` names 127.0.0.1, `other.pem` 127.0.0.2.
    static func makeCertificates(_ scratch: ScratchDirectory) throws {
        let dir = scratch.url.path
        try Shell.run(
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.pem", "-days", "2", "-subj", "/CN=pwt test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        for (name, ip) in [("good", "127.0.0.1"), ("other", "127.0.0.2")] {
            let ext = try scratch.write(
                "\(name).ext", "subjectAltName=IP:\(ip)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
            try Shell.run(
                "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "\(dir)/\(name).key", "-out", "\(dir)/\(name).csr", "-subj", "/CN=\(ip)")
            try Shell.run(
                "openssl", "x509", "-req", "-in", "\(dir)/\(name).csr", "-CA", "\(dir)/ca.pem", "-CAkey",
                "\(dir)/ca.key", "-CAcreateserial", "-out", "\(dir)/\(name).pem", "-days", "2", "-extfile", ext)
        }
        try Shell.run("chown", "-R", "nobody", dir)
    }

    /// Runs `ingest` against a TLS receiver serving `certificate`; returns the result and the posts received.
    func run(certificate: String, ca: Bool) throws -> (result: Shell.Result, posts: [String]) {
        let scratch = try ScratchDirectory()
        try Self.makeCertificates(scratch)
        let namespace = try NetworkNamespace(prefix: "whtls")
        defer { namespace.remove() }
        let received = scratch.path("received.txt")
        let script = try scratch.write("receiver.py", Self.receiver)
        let server = try namespace.spawn([
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", script, "8443",
            received, scratch.path("\(certificate).pem"), scratch.path("\(certificate).key"),
        ])
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        var listening = false
        for _ in 0..<100 where !listening {
            listening = try namespace.run(["ss", "-H", "-ltn"]).stdout.contains("127.0.0.1:8443 ")
            if !listening { usleep(50_000) }
        }
        try #require(listening, "the TLS receiver did not listen within 5 s")
        var arguments = try ingest(scratch, webhook: "https://127.0.0.1:8443/tls")
        if ca { arguments += ["--webhook-ca", scratch.path("ca.pem")] }
        let result = try Binary.run(in: namespace, arguments)
        let posts = ((try? String(contentsOfFile: received, encoding: .utf8)) ?? "").split(separator: "\n")
        return (result, posts.map(String.init))
    }

    @Test("a certificate from the CA of --webhook-ca that names the address: every alert delivered")
    func trustedCA() throws {
        let (result, posts) = try run(certificate: "good", ca: true)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("webhook https://127.0.0.1:8443/tls: 3 alerts delivered"), "\(result.stderr)")
        #expect(!result.stderr.contains("failed attempt"), "\(result.stderr)")
        let printed = result.stdout.split(separator: "\n").map(String.init)
        #expect(printed.count == 3)
        #expect(
            posts.compactMap { $0.split(separator: "\t", maxSplits: 1).last.map(String.init) }.sorted()
                == printed.sorted())
    }

    @Test("without --webhook-ca the test CA is not in the system's trust store: refused, nothing posted")
    func untrustedCertificate() throws {
        let (result, posts) = try run(certificate: "good", ca: false)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "TLS handshake refused: the receiver's certificate does not verify against the system's trust store"),
            "\(result.stderr)")
        #expect(result.stderr.contains("0 alerts delivered"), "\(result.stderr)")
        #expect(result.stderr.contains("3 not delivered"), "\(result.stderr)")
        #expect(posts.isEmpty, "\(posts)")
    }

    @Test("a certificate for another address is refused, also from a trusted CA")
    func wrongAddress() throws {
        let (result, posts) = try run(certificate: "other", ca: true)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains("TLS handshake refused: the receiver's certificate does not name 127.0.0.1"),
            "\(result.stderr)")
        #expect(result.stderr.contains("0 alerts delivered"), "\(result.stderr)")
        #expect(posts.isEmpty, "\(posts)")
    }

    @Test("--webhook-ca that is not a PEM file, or with an http webhook, is a usage error before anything is read")
    func badCAOption() throws {
        let scratch = try ScratchDirectory()
        let notPEM = try scratch.write("ca.pem", "not a certificate\n")
        let bad = try Binary.run(try ingest(scratch, webhook: "https://127.0.0.1:8443/") + ["--webhook-ca", notPEM])
        #expect(bad.status == 2, "\(bad.stderr)")
        #expect(bad.stderr.contains("--webhook-ca \(notPEM): not a readable PEM file"), "\(bad.stderr)")
        #expect(bad.stdout.isEmpty)
        let http = try Binary.run(try ingest(scratch, webhook: "http://127.0.0.1:8080/") + ["--webhook-ca", notPEM])
        #expect(http.status == 2, "\(http.stderr)")
        #expect(http.stderr.contains("is not https"), "\(http.stderr)")
    }

    private func ingest(_ scratch: ScratchDirectory, webhook: String) throws -> [String] {
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", WebhookSinkEndToEndTests.log)
        return [
            "ingest", "--policy", policy, "--format", "netfilter", log, "--no-store", "--at", "2026-12-01T00:00:00Z",
            "--output", "json", "--webhook", webhook, "--webhook-timeout", "1",
        ]
    }
}
