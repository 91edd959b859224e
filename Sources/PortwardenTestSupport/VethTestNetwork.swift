import Foundation

/// A scanner namespace and a target namespace joined by a veth pair, IPv4 10.99.0.1 ↔ 10.99.0.2
/// and IPv6 fd00:99::1 ↔ fd00:99::2, with no route anywhere else. ICMP rate limits are off in the
/// target so that every reject is answered and the ground truth is exact. The UDP and DNS tests of
/// the scanner and the end-to-end tests of the built binary share it.
public final class VethTestNetwork {
    /// Why the network could not be set up.
    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    public static let scannerV4 = "10.99.0.1"
    public static let targetV4 = "10.99.0.2"
    public static let scannerV6 = "fd00:99::1"
    public static let targetV6 = "fd00:99::2"

    public let scanner: NetworkNamespace
    public let target: NetworkNamespace
    private var processes: [Process] = []
    private var daemonPidFiles: [String] = []
    /// A temporary folder for the daemons' configuration and state, removed by ``remove()``.
    public let directory: URL

    /// - Parameter relaxICMPLimits: turn the target's ICMP rate limits off (exact ground truth);
    ///   `false` keeps the kernel defaults (about one unreachable per second after a burst of 6).
    public init(relaxICMPLimits: Bool = true) throws {
        scanner = try NetworkNamespace(prefix: "udps")
        do {
            target = try scanner.addPeer(
                prefix: "udpt", localAddress: Self.scannerV4, peerAddress: Self.targetV4, prefixLength: 24)
        } catch {
            scanner.remove()
            throw error
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pw-udp-\(target.name)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try addIPv6()
            if relaxICMPLimits {
                try target.run(
                    "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_msgs_per_sec=100000",
                    "net.ipv4.icmp_msgs_burst=100000", "net.ipv6.icmp.ratelimit=0")
            }
        } catch {
            remove()
            throw error
        }
    }

    /// The veth end inside `namespace`.
    private func vethName(in namespace: NetworkNamespace) throws -> String {
        let output = try Shell.run("ip", "-n", namespace.name, "-o", "link", "show", "type", "veth").stdout
        let fields = output.split(separator: "\n").first?.split(separator: " ") ?? []
        guard fields.count > 1 else { throw SetupError(description: "no veth in \(namespace.name): \(output)") }
        return String(fields[1].split(separator: "@")[0].trimmingCharacters(in: CharacterSet(charactersIn: ":")))
    }

    private func addIPv6() throws {
        try Shell.run(
            "ip", "-n", scanner.name, "addr", "add", "\(Self.scannerV6)/64", "dev", try vethName(in: scanner), "nodad")
        try Shell.run(
            "ip", "-n", target.name, "addr", "add", "\(Self.targetV6)/64", "dev", try vethName(in: target), "nodad")
    }

    /// Loads nftables rules into the target: `inet f input` with the given rule lines.
    public func firewall(_ rules: [String]) throws {
        try target.run("nft", "add", "table", "inet", "f")
        try target.run("nft", "add", "chain", "inet", "f", "input", "{ type filter hook input priority 0 ; }")
        for rule in rules {
            try target.run(["nft", "add", "rule", "inet", "f", "input"] + rule.split(separator: " ").map(String.init))
        }
    }

    /// Starts a long-running command in the target; it is stopped by ``remove()``.
    public func spawn(_ arguments: [String]) throws {
        processes.append(try target.spawn(arguments))
    }

    /// Starts a daemon in the target behind a `sh` that stays its parent, and records its pid.
    ///
    /// Daemons such as dnsmasq and snmpd close every inherited descriptor at start; Foundation's
    /// `Process` takes that for the child's exit and blocks in `waitpid` on it for good, after which
    /// no other `Process` is ever reaped. The shell keeps Foundation's descriptor open instead.
    public func spawnDaemon(_ arguments: [String]) throws {
        let pidFile = directory.appendingPathComponent("daemon-\(daemonPidFiles.count).pid").path
        daemonPidFiles.append(pidFile)
        try spawn(["sh", "-c", "\"$@\" & echo $! > \(pidFile); wait", "sh"] + arguments)
    }

    /// Writes a file in the test's temporary folder and returns its path.
    public func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Waits (polling `ss`, up to ~10 s) until the target listens on every port in `ports`, UDP
    /// (bound sockets) or, with `tcp`, TCP (listening sockets).
    /// - Parameter address: only sockets bound to this address count (a daemon binds its IPv4 and
    ///   IPv6 sockets one after the other); `nil` counts any.
    /// - Returns: whether all appeared.
    public func waitForListeners(_ ports: [UInt16], tcp: Bool = false, on address: String? = nil) -> Bool {
        for _ in 0..<100 {
            let output = (try? target.run(["ss", "-H", tcp ? "-tln" : "-uln"], allowFailure: true).stdout) ?? ""
            let all = ports.allSatisfy { port in
                output.split(separator: "\n").contains { line in
                    line.split(separator: " ").contains { field in
                        field.hasSuffix(":\(port)") && (address.map { field.contains($0) } ?? true)
                    }
                }
            }
            if all { return true }
            usleep(100_000)
        }
        return false
    }

    /// Stops the processes and deletes both namespaces and the temporary folder.
    public func remove() {
        for file in daemonPidFiles {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            if let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 { kill(pid, SIGKILL) }
        }
        for process in processes where process.isRunning {
            // SIGKILL: the child inherits the test thread's blocked-signal mask, in which SIGTERM
            // is blocked, so `terminate()` would leave it running and `waitUntilExit()` hang.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        processes.removeAll()
        target.remove()
        scanner.remove()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A python3 UDP server on `[::]` (both families): `echo` ports answer every datagram, `silent`
    /// ports read and never answer.
    public static func pythonListener(echo: [UInt16], silent: [UInt16]) -> [String] {
        let script = """
            import select, socket
            def mk(port):
                s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                s.bind(("::", port))
                return s
            echo = [mk(p) for p in \(echo.map(Int.init))]
            silent = [mk(p) for p in \(silent.map(Int.init))]
            while True:
                ready, _, _ = select.select(echo + silent, [], [])
                for s in ready:
                    data, peer = s.recvfrom(65535)
                    if s in echo:
                        s.sendto(b"pong:" + data, peer)
            """
        return ["python3", "-c", script]
    }
}
