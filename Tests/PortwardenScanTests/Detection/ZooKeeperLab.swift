import Foundation
import PortwardenCore
import PortwardenTestSupport

@testable import PortwardenScan

/// What the ZooKeeper lab saw: detection of the open server, of the same server once its root
/// carries a digest ACL, and of the lab's server on ``DetectionLab/secondAddress``:2181 that is not
/// ZooKeeper.
struct ZooKeeperLabOutcome: Sendable {
    var open: ServiceDetection?
    var protected: ServiceDetection?
    var notZooKeeper: ServiceDetection?
}

/// Debian's ZooKeeper (a Java server that takes seconds to listen, hence a ``SlowDaemonLab``) on the
/// namespace's 127.0.0.1:2181, and the lab's socat server on 127.0.0.2:2181 that answers the first
/// bytes with an HTTP error. Detection runs once against each; then the test, not the probe, sets a
/// digest ACL on `/` and the open server is detected again.
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

    static let lab = SlowDaemonLab(name: "zk", port: port, needs: [java, jar], packages: "zookeeper")

    /// The shared run, performed once on first use.
    static let outcome: SlowDaemonLab.Outcome<ZooKeeperLabOutcome> = lab.run(
        prepare: prepare(dir:),
        daemon: { dir in
            [
                java, "-XX:-UsePerfData", "-Xmx256m", "-cp", "/etc/zookeeper/conf:\(jar)",
                "org.apache.zookeeper.server.ZooKeeperServerMain", "\(dir)/zoo.cfg",
            ]
        },
        probe: probe)

    /// Inside the namespace, once both servers listen: detects, sets the ACL, detects again.
    private static func probe() -> Result<ZooKeeperLabOutcome, SlowDaemonLab.SetupFailure> {
        var outcome = ZooKeeperLabOutcome()
        let detector = ServiceDetector(configuration: configuration)
        outcome.open = detector.detect(host: DetectionLab.address, port: port)
        outcome.notZooKeeper = detector.detect(host: DetectionLab.secondAddress, port: port)
        if let failure = setRootACL() { return .failure(.init(description: failure)) }
        outcome.protected = detector.detect(host: DetectionLab.address, port: port)
        return .success(outcome)
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
    }
}

extension DaemonVersion {
    /// The upstream release of Debian's installed `zookeeper` package (`3.8.0-11+deb12u2` → `3.8.0`).
    static var zooKeeper: String? {
        read(["/usr/bin/dpkg-query", "-W", "-f", "v=${Version}\n", "zookeeper"], after: "v=")
            .flatMap { $0.split(separator: "-").first.map(String.init) }
    }
}
