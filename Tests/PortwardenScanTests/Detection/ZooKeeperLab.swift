import Foundation
import PortwardenCore
import PortwardenTestSupport

@testable import PortwardenScan

/// What the ZooKeeper lab saw: detection of the open server, of the same server once its root
/// carries a digest ACL, and of a server on ``DetectionLab/secondAddress``:2181 that is not
/// ZooKeeper.
struct ZooKeeperLabOutcome: Sendable {
    var open: ServiceDetection?
    var protected: ServiceDetection?
    var notZooKeeper: ServiceDetection?
    /// Set when the lab cannot run here (not root, no `ip`, no ZooKeeper): tests skip with this.
    var unavailable: String?
    /// Set when the lab should have run but its setup failed: tests fail with this.
    var setupFailure: String?
}

/// Debian's ZooKeeper (a Java server that takes seconds to listen, hence its own namespace and
/// listen wait rather than the shared ``DetectionLab``'s) on the namespace's 127.0.0.1:2181, and a
/// socat server on 127.0.0.2:2181 that answers the first bytes with an HTTP error. Detection runs
/// once against each; then the test, not the probe, sets a digest ACL on `/` and the open server
/// is detected again.
enum ZooKeeperLab {
    static let java = "/usr/bin/java"
    static let jar = "/usr/share/java/zookeeper.jar"
    static let port: UInt16 = 2181
    /// Java's first answers can be slow under load: no read here is timed.
    static let configuration = DetectionConfiguration(
        concurrency: 1, connectTimeout: .seconds(5), readTimeout: .seconds(10), bannerTimeout: .seconds(1))
    /// The ACL the setup puts on `/`: all permissions for the digest user `portwarden` (password
    /// `lab-secret-not-guessed`; the id is the user and base64 of SHA-1 of `user:password`, as
    /// ZooKeeper's digest scheme stores it), none for anyone else.
    static let digestID = "portwarden:lij5UppCvh6A4Szfmd0rh0AkPTY="

    static var unavailableReason: String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        let missing = [java, jar, "/usr/bin/socat"].filter { !FileManager.default.fileExists(atPath: $0) }
        return missing.isEmpty ? nil : "needs \(missing.joined(separator: ", ")): apt-get install -y zookeeper socat"
    }

    /// The shared run, performed once on first use.
    static let outcome: ZooKeeperLabOutcome = run()

    /// The shared outcome; throws (failing the test) when the lab should have run but could not be set up.
    static func checkedOutcome() throws -> ZooKeeperLabOutcome {
        struct SetupFailure: Error, CustomStringConvertible { let description: String }
        if let failure = outcome.setupFailure { throw SetupFailure(description: failure) }
        return outcome
    }

    private static func run() -> ZooKeeperLabOutcome {
        if let reason = unavailableReason { return ZooKeeperLabOutcome(unavailable: reason) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pw-zk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try prepare(dir: dir)
            let namespace = try NetworkNamespace(prefix: "zk")
            defer {
                // Anything left in the namespace (Java forks nothing, but be sure) goes before it does.
                _ = try? Shell.run(["/bin/sh", "-c", "ip netns pids \(namespace.name) | xargs -r kill -9"])
                namespace.remove()
            }
            var processes: [Process] = []
            defer {
                // SIGKILL: children inherit the test thread's blocked signal mask (`DetectionLab`).
                for process in processes { kill(process.processIdentifier, SIGKILL) }
                for process in processes { _ = waitpid(process.processIdentifier, nil, 0) }
            }
            processes.append(
                try namespace.spawn([
                    java, "-XX:-UsePerfData", "-Xmx256m", "-cp", "/etc/zookeeper/conf:\(jar)",
                    "org.apache.zookeeper.server.ZooKeeperServerMain", "\(dir)/zoo.cfg",
                ]))
            processes.append(
                try namespace.spawn([
                    "/usr/bin/socat", "TCP-LISTEN:\(port),bind=127.0.0.2,fork,reuseaddr",
                    "SYSTEM:/bin/sh \(dir)/not-zookeeper.sh",
                ]))
            return try namespace.runOnThread { probe() }
        } catch {
            return ZooKeeperLabOutcome(setupFailure: "ZooKeeper lab setup failed: \(error)")
        }
    }

    /// Inside the namespace: waits for both listeners, detects, sets the ACL, detects again.
    private static func probe() -> ZooKeeperLabOutcome {
        var outcome = ZooKeeperLabOutcome()
        let servers = [DetectionLab.address, DetectionLab.secondAddress]
        guard servers.allSatisfy({ DetectionLab.waitForListener(host: $0, port: port, seconds: 120) }) else {
            return ZooKeeperLabOutcome(setupFailure: "ZooKeeper or socat never listened on 2181 within 120 s")
        }
        let detector = ServiceDetector(configuration: configuration)
        outcome.open = detector.detect(host: DetectionLab.address, port: port)
        outcome.notZooKeeper = detector.detect(host: DetectionLab.secondAddress, port: port)
        if let failure = setRootACL() { return ZooKeeperLabOutcome(setupFailure: failure) }
        outcome.protected = detector.detect(host: DetectionLab.address, port: port)
        return outcome
    }

    /// Opens a session and sends setACL of `/` (op code 7, any version) to ``digestID`` with all
    /// permissions; `nil` when the server answered error 0, else what went wrong.
    private static func setRootACL() -> String? {
        guard
            case .success(let connection) = ProbeConnection.open(
                host: DetectionLab.address, port: port, configuration: configuration)
        else { return "setACL: cannot connect" }
        defer { connection.close() }
        guard connection.send(ZooKeeperSession.connectRequest) else { return "setACL: cannot send" }
        let answer = connection.receive { ZooKeeperSession.parseConnect($0) != .incomplete }
        guard ZooKeeperSession.connectResponseLength(answer) == answer.count else {
            return "setACL: no ConnectResponse: \(answer)"
        }
        func int32(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        func string(_ text: String) -> [UInt8] { int32(Int32(text.utf8.count)) + Array(text.utf8) }
        let acl = int32(1) + int32(31) + string("digest") + string(digestID)
        let body = int32(3) + int32(7) + string("/") + acl + int32(-1)
        guard connection.send(int32(Int32(body.count)) + body) else { return "setACL: cannot send" }
        let reply = connection.receive { $0.count >= 20 }
        connection.send(ZooKeeperSession.closeRequest)
        // Reply header: length, xid 3, zxid, error.
        guard reply.count >= 20, Array(reply[4..<8]) == int32(3), Array(reply[16..<20]) == int32(0) else {
            return "setACL refused: \(reply)"
        }
        return nil
    }

    private static func prepare(dir: String) throws {
        try FileManager.default.createDirectory(atPath: "\(dir)/data", withIntermediateDirectories: true)
        let config = """
            tickTime=2000
            dataDir=\(dir)/data
            clientPort=\(port)
            clientPortAddress=127.0.0.1
            admin.enableServer=false
            4lw.commands.whitelist=srvr

            """
        try config.write(toFile: "\(dir)/zoo.cfg", atomically: true, encoding: .utf8)
        let notZooKeeper = """
            head -c 1 >/dev/null
            printf 'HTTP/1.0 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n'

            """
        try notZooKeeper.write(toFile: "\(dir)/not-zookeeper.sh", atomically: true, encoding: .utf8)
    }
}

extension DaemonVersion {
    /// The upstream release of Debian's installed `zookeeper` package (`3.8.0-11+deb12u2` → `3.8.0`).
    static var zooKeeper: String? {
        read(["/usr/bin/dpkg-query", "-W", "-f", "v=${Version}\n", "zookeeper"], after: "v=")
            .flatMap { $0.split(separator: "-").first.map(String.init) }
    }
}
