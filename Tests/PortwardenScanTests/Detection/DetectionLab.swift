import Foundation
import PortwardenCore
import PortwardenTestSupport

@testable import PortwardenScan

/// One server the lab starts inside its namespace, on the namespace's own loopback.
struct LabServer: Sendable {
    let name: String
    /// The executable that must exist for this server (checked before starting it).
    let binary: String
    let ports: [UInt16]
    /// The command, with `{dir}` replaced by the lab's temporary folder.
    let command: [String]
    /// The namespace-loopback address the server listens on.
    var address: IPAddress = DetectionLab.address
    /// Run on the namespace's thread once every server listens, before detection (e.g. to turn on a
    /// daemon's authentication through its own API); false when it failed.
    var setup: (@Sendable (IPAddress) -> Bool)? = nil
}

/// What one lab run saw: detections per port, and the ports whose server could not run (with why).
struct LabOutcome: Sendable {
    /// Detections of the servers on 127.0.0.1, by port.
    var detections: [UInt16: ServiceDetection] = [:]
    /// Detections of the servers on ``DetectionLab/secondAddress``, by port.
    var secondAddressDetections: [UInt16: ServiceDetection] = [:]
    var missing: [UInt16: String] = [:]
    var enriched: [Observation] = []
    /// What p910nd's "printer" file held after detection (`DetectionLab+Printing.swift`).
    var rawPrintOutput: [UInt8]?
    /// Set when the lab cannot run here (not root, no `ip`): tests skip with this reason.
    var unavailable: String?
    /// Set when the lab should have run but its setup failed: tests fail with this.
    var setupFailure: String?
}

/// Starts real servers in a throwaway network namespace, probes them all once with
/// ``ServiceDetector/detectAll(_:)`` from a thread inside that namespace, then stops everything.
/// The result is shared by the lab tests.
enum DetectionLab {
    static let closedPort: UInt16 = 9
    /// The namespace's 127.0.0.1, where most lab servers listen.
    static let address = IPAddress(ipv4: 0x7F00_0001)
    /// The namespace's 127.0.0.2, for servers that trust a client on their own address (Dovecot
    /// treats a connection from its own address as secured and then offers cleartext login): the
    /// probe connects to it from 127.0.0.1.
    static let secondAddress = IPAddress(ipv4: 0x7F00_0002)

    static let servers: [LabServer] =
        [
            LabServer(
                name: "sshd", binary: "/usr/sbin/sshd", ports: [22, 23],
                command: ["/usr/sbin/sshd", "-D", "-e", "-f", "{dir}/sshd_config"]),
            LabServer(
                name: "openssl tls1.0", binary: "/usr/bin/openssl", ports: [4431],
                command: openssl(port: 4431, flags: ["-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"])),
            LabServer(
                name: "openssl tls1.2", binary: "/usr/bin/openssl", ports: [4432],
                command: openssl(port: 4432, flags: ["-tls1_2"])),
            LabServer(
                name: "openssl default", binary: "/usr/bin/openssl", ports: [4433],
                command: openssl(port: 4433, flags: [])),
            // Only NULL-encryption suites, one of them anonymous (no certificate): the weak-suite probe.
            LabServer(
                name: "openssl weak suites", binary: "/usr/bin/openssl", ports: [4434],
                command: openssl(
                    port: 4434, flags: ["-tls1_2", "-cipher", "ECDHE-RSA-NULL-SHA:AECDH-NULL-SHA:@SECLEVEL=0"])),
            // A certificate that expired in 2020, with a 1024-bit RSA key, issued by another name.
            LabServer(
                name: "openssl expired certificate", binary: "/usr/bin/openssl", ports: [4435],
                command: openssl(
                    port: 4435, certificate: "expired", flags: ["-tls1_2", "-cipher", "DEFAULT:@SECLEVEL=0"])),
            LabServer(
                name: "redis open", binary: "/usr/bin/redis-server", ports: [6379],
                command: redis(port: 6379, extra: ["--protected-mode", "no"])),
            LabServer(
                name: "redis password", binary: "/usr/bin/redis-server", ports: [6380],
                command: redis(port: 6380, extra: ["--requirepass", "lab-secret-not-guessed"])),
            LabServer(
                name: "memcached", binary: "/usr/bin/memcached", ports: [11211],
                command: ["/usr/bin/memcached", "-u", "root", "-l", "127.0.0.1", "-p", "11211", "-U", "0"]),
        ]
        + [
            ("telnet", UInt16(2323)), ("ftp-clear", 21), ("ftp-tls-required", 2121), ("ftp-tls-optional", 2122),
            ("pop3-clear", 110), ("pop3-stls", 1110), ("imap-clear", 143), ("imap-locked", 1143), ("vnc-none", 5900),
            ("vnc-tls", 5901), ("http-basic", 8080), ("http-redirect", 80), ("http-docker", 2375),
            ("mysql-clear", 3306), ("rdp-nonla", 3389), ("smb1", 445),
        ].map { mode, port in
            LabServer(
                name: mode, binary: "/usr/bin/python3", ports: [port],
                command: ["/usr/bin/python3", "{dir}/fake_servers.py", mode, "\(port)"])
        } + daemonServers + startTLSServers + brokerServers + etcdServers + vpnServers + printingServers

    static func openssl(port: UInt16, certificate: String = "", flags: [String]) -> [String] {
        [
            "/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", "{dir}/\(certificate)cert.pem",
            "-key", "{dir}/\(certificate)key.pem", "-www", "-quiet",
        ] + flags
    }

    static func redis(port: UInt16, extra: [String]) -> [String] {
        [
            "/usr/bin/redis-server", "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", "{dir}",
        ] + extra
    }

    /// The lab servers that are not installed here, or `nil` when all of them are.
    static var missingServers: String? {
        let missing = servers.map(\.binary).filter { !FileManager.default.isExecutableFile(atPath: $0) }
        return missing.isEmpty ? nil : "needs the lab servers \(missing.joined(separator: ", ")) (not installed)"
    }

    /// The shared run, performed once on first use.
    static let outcome: LabOutcome = run()

    private static func run() -> LabOutcome {
        if let reason = NetworkNamespace.unavailableReason { return LabOutcome(unavailable: reason) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pw-detect-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try prepare(dir: dir)
            let namespace = try NetworkNamespace(prefix: "det")
            defer { namespace.remove() }
            var processes: [Process] = []
            defer {
                // SIGKILL: children inherit the test thread's blocked signal mask, so SIGTERM stays pending.
                // Kill all, then reap with waitpid: daemons that close the descriptors they inherited
                // (sshd, nginx) leave Foundation's Process unaware of their exit, so waitUntilExit hangs.
                for process in processes { kill(process.processIdentifier, SIGKILL) }
                for process in processes { _ = waitpid(process.processIdentifier, nil, 0) }
            }
            var outcome = LabOutcome()
            var targets: [(IPAddress, UInt16)] = []
            var setups: [(String, IPAddress, @Sendable (IPAddress) -> Bool)] = []
            for server in servers {
                guard FileManager.default.isExecutableFile(atPath: server.binary) else {
                    for port in server.ports { outcome.missing[port] = "\(server.binary) is not installed" }
                    continue
                }
                let command = server.command.map { $0.replacingOccurrences(of: "{dir}", with: dir) }
                processes.append(try namespace.spawn(command))
                targets += server.ports.map { (server.address, $0) }
                if let setup = server.setup { setups.append((server.name, server.address, setup)) }
            }
            let listening = targets
            let all = targets + [(address, closedPort)]
            let pendingSetups = setups
            let probed = try namespace.runOnThread {
                () -> ([ServiceDetection], [UInt16], [Observation], [String]) in
                let notListening = listening.filter { !waitForListener(host: $0.0, port: $0.1) }.map(\.1)
                let failedSetups = pendingSetups.filter { !$0.2($0.1) }.map(\.0)
                let detector = ServiceDetector(configuration: labConfiguration)
                let results = detector.detectAll(all)
                let enriched = detector.enrich(enrichInput)
                return (results, notListening, enriched, failedSetups)
            }
            if !probed.3.isEmpty { outcome.setupFailure = "lab server setup failed: \(probed.3)" }
            for ((host, port), detection) in zip(all, probed.0) {
                if host == secondAddress {
                    outcome.secondAddressDetections[port] = detection
                } else {
                    outcome.detections[port] = detection
                }
            }
            if !probed.1.isEmpty {
                outcome.setupFailure = "lab servers never started listening on ports \(probed.1.sorted())"
            }
            outcome.enriched = probed.2
            outcome.rawPrintOutput = rawPrintOutput(dir: dir)
            return outcome
        } catch {
            return LabOutcome(setupFailure: "detection lab setup failed: \(error)")
        }
    }

    static let labConfiguration = DetectionConfiguration(
        concurrency: 8, connectTimeout: .seconds(2), readTimeout: .seconds(2), bannerTimeout: .seconds(1))

    /// Observations handed to `enrich`: an open TCP port, a closed one and a UDP one.
    static let enrichInput: [Observation] = {
        let host = IPAddress(ipv4: 0x7F00_0001)
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        return [
            Observation(time: time, host: host, transport: .tcp, port: 6379, state: .open),
            Observation(time: time, host: host, transport: .tcp, port: 6390, state: .closed),
            Observation(time: time, host: host, transport: .udp, port: 11211, state: .openFiltered),
        ]
    }()

    /// Connect attempts, every 100 ms, until the port accepts (servers take a moment to bind); gives
    /// up after about `seconds` (15 for the shared lab; the labs of slow-booting daemons such as
    /// RabbitMQ and ZooKeeper wait longer). Waiting for a daemon, not a timed assertion. Called on a
    /// thread inside the lab's namespace.
    static func waitForListener(host: IPAddress, port: UInt16, seconds: Int = 15) -> Bool {
        for _ in 0..<(seconds * 10) {
            if case .connected(let fd) = DetectionSystem.connect(host: host, port: port, timeoutMilliseconds: 500) {
                DetectionSystem.closeSocket(fd)
                return true
            }
            usleep(100_000)
        }
        return false
    }

    private static func prepare(dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FakeServers.script.write(toFile: "\(dir)/fake_servers.py", atomically: true, encoding: .utf8)
        try Shell.run(
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/key.pem", "-out",
            "\(dir)/cert.pem", "-days", "2", "-subj", "/CN=portwarden-lab")
        try expiredCertificate(dir: dir)
        if FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") {
            try Shell.run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "\(dir)/host_ed25519")
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
            let config = """
                Port 22
                Port 23
                ListenAddress 127.0.0.1
                HostKey \(dir)/host_ed25519
                PidFile none
                UsePAM no
                StrictModes no

                """
            try config.write(toFile: "\(dir)/sshd_config", atomically: true, encoding: .utf8)
        }
        try prepareDaemons(dir: dir)
        try prepareStartTLS(dir: dir)
        try prepareBrokers(dir: dir)
        try prepareVPN(dir: dir)
        try preparePrinting(dir: dir)
    }

    /// `expiredcert.pem`: valid from 2020-01-01 to 2020-02-01, RSA 1024, signed by a throwaway CA
    /// (`openssl req` refuses dates in the past; `openssl ca` takes them).
    private static func expiredCertificate(dir: String) throws {
        let ca = "\(dir)/ca"
        try FileManager.default.createDirectory(atPath: ca, withIntermediateDirectories: true)
        try "".write(toFile: "\(ca)/index.txt", atomically: true, encoding: .utf8)
        try "01\n".write(toFile: "\(ca)/serial", atomically: true, encoding: .utf8)
        let config = """
            [ca]
            default_ca = lab
            [lab]
            database = \(ca)/index.txt
            serial = \(ca)/serial
            new_certs_dir = \(ca)
            default_md = sha256
            policy = any
            [any]
            commonName = supplied

            """
        try config.write(toFile: "\(ca)/ca.cnf", atomically: true, encoding: .utf8)
        try Shell.run(
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(ca)/ca-key.pem", "-out",
            "\(ca)/ca.pem", "-days", "2", "-subj", "/CN=portwarden-lab-ca")
        try Shell.run(
            "/usr/bin/openssl", "req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "\(dir)/expiredkey.pem",
            "-out", "\(ca)/expired.csr", "-subj", "/CN=portwarden-expired")
        try Shell.run(
            "/usr/bin/openssl", "ca", "-batch", "-config", "\(ca)/ca.cnf", "-cert", "\(ca)/ca.pem", "-keyfile",
            "\(ca)/ca-key.pem", "-in", "\(ca)/expired.csr", "-out", "\(dir)/expiredcert.pem", "-startdate",
            "20200101000000Z", "-enddate", "20200201000000Z")
    }
}
