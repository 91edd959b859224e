import Foundation
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `input syslog udp://…` and `tcp://…`: util-linux `logger` sends real netfilter and sshd lines to a running
/// `portwarden monitor` on loopback inside a namespace the test creates (UDP RFC 3164, TCP octet-counted
/// RFC 5424, TCP LF-terminated RFC 3164), and a raw TCP stream with an oversize frame and garbage between
/// frames shows what the framing keeps.
@Suite(
    "syslog receiver input, end to end",
    .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"),
    .enabled(if: NetworkNamespace.unavailableReason == nil, "\(NetworkNamespace.unavailableReason ?? "")"),
    .enabled(if: Shell.which("logger") != nil, "needs util-linux logger (apt-get install -y bsdutils)"),
    .enabled(if: Shell.which("bash") != nil, "needs bash (its /dev/tcp sends the raw stream)"))
struct SyslogReceiverEndToEndTests {
    static func kernel(_ prefix: String, from source: String, to destination: String, port: Int) -> String {
        "\(prefix) IN=eth0 OUT= SRC=\(source) DST=\(destination) LEN=60 PROTO=TCP SPT=40001 DPT=\(port) SYN"
    }

    /// An RFC 6587 octet-counted frame of an RFC 3164 kernel line.
    static func frame(_ line: String) -> String {
        let message = "<4>Dec  1 23:00:00 fw1 kernel: \(line)"
        return "\(message.utf8.count) \(message)"
    }

    @Test("logger over UDP and TCP (octet-counted and LF) raises the alerts; broken frames lose nothing else")
    func loggerToMonitor() throws {
        let scratch = try ScratchDirectory()
        let namespace = try NetworkNamespace(prefix: "slrx")
        defer { namespace.remove() }
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let config = try scratch.write(
            "monitor.conf",
            "input syslog udp://127.0.0.1:5514\ninput syslog tcp://127.0.0.1:5514\nreceiver-max-message 2048\n")
        let monitor = try MonitorInNamespace(
            namespace, ["monitor", "--policy", policy, "--config", config, "--no-store", "--output", "json"],
            scratch: scratch)
        defer { monitor.kill() }
        try monitor.waitForSockets(udp: "127.0.0.1:5514", tcp: "127.0.0.1:5514")

        let logger = ["logger", "--server", "127.0.0.1", "--port", "5514"]
        // UDP, RFC 3164: a corp source the allow-from of pg does not permit.
        try namespace.run(
            logger + ["--udp", "--rfc3164", "-t", "kernel"]
                + [Self.kernel("PW-ACCEPT cde-db", from: "10.0.3.3", to: "10.20.1.10", port: 5432)])
        // TCP, octet counting, RFC 5424: five sshd failures, one connection.
        let failures = String(repeating: "Failed password for root from 10.20.2.7 port 4000 ssh2\n", count: 5)
        try namespace.run(logger + ["--tcp", "--octet-count", "--rfc5424", "-t", "sshd"], input: failures)
        // TCP, LF-terminated, RFC 3164: the same source then reaches pg.
        try namespace.run(
            logger + ["--tcp", "--rfc3164", "-t", "kernel"]
                + [Self.kernel("PW-ACCEPT cde-db", from: "10.20.2.7", to: "10.20.1.10", port: 5432)])
        // Raw TCP: an oversize frame, a good one, two bytes of garbage, another good one.
        let first = Self.frame(Self.kernel("PW-ACCEPT cde-db", from: "10.0.3.4", to: "10.20.1.10", port: 6379))
        let second = Self.frame(Self.kernel("PW-ACCEPT cde-db", from: "10.0.3.4", to: "10.20.1.10", port: 6380))
        let oversize = "3000 " + String(repeating: "x", count: 3000)
        try namespace.run(
            ["bash", "-c", "cat > /dev/tcp/127.0.0.1/5514"], input: oversize + first + "zz" + second)

        let rules = [
            "PW-SOURCE-NOT-PERMITTED", "PW-AUTH-FAILURES-THEN-ACCESS", "\"port\":6379", "\"port\":6380",
        ]
        try monitor.wait("every alert is printed") { rules.allSatisfy(monitor.stdout.contains) }
        #expect(monitor.terminate() == 0, "\(monitor.stderr)")
        let stderr = monitor.stderr
        #expect(stderr.contains("portwarden: monitoring syslog:udp://127.0.0.1:5514, syslog:tcp://127.0.0.1:5514"))
        #expect(
            stderr.contains(
                ": byte 0: error: a frame of 3000 bytes is over the limit of 2048 bytes; it is skipped"), "\(stderr)")
        let garbage = oversize.utf8.count + first.utf8.count
        #expect(
            stderr.contains(": byte \(garbage): error: expected a frame length (octet counting), found \"z\""),
            "\(stderr)")
        #expect(stderr.contains("tcp://127.0.0.1:5514 from 127.0.0.1:"), "the problem names the receiver and peer")
        #expect(
            stderr.contains("read: 4 flows, 5 security events, 0 ignored, 2 broken lines skipped"),
            "\(stderr)")
        let alerts = monitor.stdout.split(separator: "\n")
        #expect(alerts.filter { $0.contains("\"rule\":\"PW-AUTH-FAILURES-THEN-ACCESS\"") }.count == 1)
        #expect(alerts.filter { $0.contains("\"rule\":\"PW-UNDECLARED-FLOW\"") }.count == 2)
    }

    /// CPU seconds (user and system) process `pid` has used, from /proc/PID/stat.
    static func cpuSeconds(_ pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the parenthesised command: state is the 3rd field, utime the 14th, stime the 15th.
        let rest = try #require(stat.range(of: ") ")).upperBound
        let fields = stat[rest...].split(separator: " ")
        let ticks = try #require(Double(fields[11])) + #require(Double(fields[12]))
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    @Test(
        "out of descriptors, the TCP receiver says so once, rests its listener and accepts again when clients go",
        .enabled(if: Shell.which("prlimit") != nil, "needs util-linux prlimit (it lowers the monitor's RLIMIT_NOFILE)"))
    func outOfDescriptors() throws {
        let scratch = try ScratchDirectory()
        let namespace = try NetworkNamespace(prefix: "slfd")
        defer { namespace.remove() }
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let config = try scratch.write(
            "monitor.conf", "input syslog tcp://127.0.0.1:5514\nreceiver-max-connections 1000\n")
        // 48 descriptors: the monitor's own (stdio, the listener, the runtime's) and some dozens of connections.
        let monitor = try MonitorInNamespace(
            namespace, ["monitor", "--policy", policy, "--config", config, "--no-store", "--output", "json"],
            launcher: ["prlimit", "--nofile=48:48", "--"], scratch: scratch)
        defer { monitor.kill() }
        try monitor.wait("the receiver listens") {
            try namespace.run(["ss", "-H", "-ltn"]).stdout.contains("127.0.0.1:5514")
        }

        // 90 clients held open by one bash (no child holds a copy), more than the limit lets the monitor take;
        // the rest wait in the listener's backlog (128). The FIFO opened read-write never ends the read.
        let opened = scratch.path("opened")
        let fifo = scratch.path("hold")
        try Shell.run("mkfifo", fifo)
        let holder = try namespace.spawn([
            "bash", "-c",
            "for i in $(seq 90); do exec {fd}<>/dev/tcp/127.0.0.1/5514 || exit 1; done; : > \(opened); "
                + "read -r -t 600 _ <> \(fifo)",
        ])
        var holderKilled = false
        defer { if !holderKilled { kill(holder.processIdentifier, SIGKILL) } }
        try monitor.wait("the clients connect") { FileManager.default.fileExists(atPath: opened) }
        let complaint = "cannot accept connections: Too many open files: this process may open 48 files (RLIMIT_NOFILE)"
        try monitor.wait("the receiver reports running out of descriptors") { monitor.stderr.contains(complaint) }

        // Refused for two seconds, and past two back-offs: a loop that polled the listener would spin a core.
        let pid = monitor.process.processIdentifier
        let before = try Self.cpuSeconds(pid)
        let started = Date()
        usleep(2_000_000)
        let used = try Self.cpuSeconds(pid) - before
        let elapsed = Date().timeIntervalSince(started)
        #expect(used < elapsed / 4, "\(used) s of CPU in \(elapsed) s while out of descriptors")
        #expect(monitor.stderr.components(separatedBy: complaint).count == 2, "reported once: \(monitor.stderr)")

        // The clients go; a new connection's message is received and judged.
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        holderKilled = true
        try namespace.run(
            ["logger", "--server", "127.0.0.1", "--port", "5514", "--tcp", "--rfc3164", "-t", "kernel"]
                + [Self.kernel("PW-ACCEPT cde-db", from: "10.0.3.3", to: "10.20.1.10", port: 5432)])
        try monitor.wait("the message after the clients closed raises its alert") {
            monitor.stdout.contains("PW-SOURCE-NOT-PERMITTED")
        }
        #expect(monitor.terminate() == 0, "\(monitor.stderr)")
        #expect(monitor.stderr.contains("1 line read: 1 flow,"), "\(monitor.stderr)")
    }
}

/// `portwarden ARGS` running inside a namespace, its stdout and stderr in files.
final class MonitorInNamespace {
    let process = Process()
    let namespace: NetworkNamespace
    private let outPath: String
    private let errorPath: String

    /// - Parameter launcher: a command that execs the binary with its arguments (`prlimit --nofile=N --`).
    init(
        _ namespace: NetworkNamespace, _ arguments: [String], launcher: [String] = [], scratch: ScratchDirectory
    ) throws {
        self.namespace = namespace
        outPath = scratch.path("stdout-\(UUID().uuidString.prefix(8))")
        errorPath = scratch.path("stderr-\(UUID().uuidString.prefix(8))")
        for path in [outPath, errorPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        process.executableURL = URL(fileURLWithPath: Shell.which("ip") ?? "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace.name] + launcher + [try Binary.path()] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits (up to 10 s) until `ss` in the namespace shows the UDP socket and the TCP listener.
    func waitForSockets(udp: String, tcp: String) throws {
        try wait("the receivers listen") {
            try namespace.run(["ss", "-H", "-lun"]).stdout.contains(udp)
                && namespace.run(["ss", "-H", "-ltn"]).stdout.contains(tcp)
        }
    }

    /// Polls `condition` every 50 ms for up to 10 s; fails with `what` and stderr if it never holds.
    func wait(_ what: String, _ condition: () throws -> Bool) throws {
        for _ in 0..<200 {
            if try condition() { return }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        Issue.record("\(what): not within 10 s; stderr: \(stderr)")
        throw SetupError(message: what)
    }

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
