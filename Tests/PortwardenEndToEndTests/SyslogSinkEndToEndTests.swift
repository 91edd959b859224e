import Foundation
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--syslog`: alerts reach a syslog receiver on loopback inside a namespace the test creates, over UDP and
/// over TCP with octet counting.
@Suite(
    "syslog sink, end to end",
    .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"),
    .enabled(if: NetworkNamespace.unavailableReason == nil, "\(NetworkNamespace.unavailableReason ?? "")"),
    .enabled(if: Shell.which("socat") != nil, "needs socat (apt-get install -y socat)"))
struct SyslogSinkEndToEndTests {
    @Test("one RFC 5424 message per alert over UDP and over TCP")
    func udpAndTCP() throws {
        let scratch = try ScratchDirectory()
        let namespace = try NetworkNamespace(prefix: "slog")
        defer { namespace.remove() }
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", IngestEndToEndTests.log)
        let udpFile = scratch.path("udp.txt")
        let tcpFile = scratch.path("tcp.txt")
        let udp = try namespace.spawn(["socat", "-u", "UDP-RECV:5514,bind=127.0.0.1", "OPEN:\(udpFile),creat,append"])
        let tcp = try namespace.spawn(
            ["socat", "-u", "TCP-LISTEN:5515,bind=127.0.0.1,reuseaddr", "OPEN:\(tcpFile),creat,append"])
        defer {
            for process in [udp, tcp] {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        for _ in 0..<100 {
            let sockets = try namespace.run(["ss", "-H", "-lun", "-ltn"]).stdout
            if sockets.contains("127.0.0.1:5514") && sockets.contains("127.0.0.1:5515") { break }
            usleep(50_000)
        }
        let ingest = [
            "ingest", "--policy", policy, "--format", "netfilter", log, "--no-store", "--at", "2026-12-01T00:00:00Z",
        ]
        let viaUDP = try Binary.run(in: namespace, ingest + ["--syslog", "udp://127.0.0.1:5514"])
        #expect(viaUDP.status == 1, "\(viaUDP.stderr)")
        let viaTCP = try Binary.run(in: namespace, ingest + ["--syslog", "tcp://127.0.0.1:5515"])
        #expect(viaTCP.status == 1, "\(viaTCP.stderr)")
        #expect(!viaTCP.stderr.contains("cannot send"), "\(viaTCP.stderr)")
        var udpText = ""
        var tcpText = ""
        for _ in 0..<100 {
            udpText = (try? String(contentsOfFile: udpFile, encoding: .utf8)) ?? ""
            tcpText = (try? String(contentsOfFile: tcpFile, encoding: .utf8)) ?? ""
            if !udpText.isEmpty && !tcpText.isEmpty { break }
            usleep(50_000)
        }
        #expect(udpText.hasPrefix("<34>1 2026-11-29T03:04:14Z "), "\(udpText)")
        #expect(udpText.contains(" portwarden "))
        #expect(udpText.contains(" PW-SOURCE-NOT-PERMITTED - {\"rule\":\"PW-SOURCE-NOT-PERMITTED\""), "\(udpText)")
        let space = try #require(tcpText.firstIndex(of: " "), "\(tcpText)")
        let length = try #require(Int(tcpText[..<space]), "\(tcpText)")
        let framed = tcpText[tcpText.index(after: space)...]
        #expect(framed.utf8.count == length, "octet count \(length) for \(framed.utf8.count) bytes")
        #expect(framed.hasPrefix("<34>1 "))
    }
}
