import PortwardenCore
import PortwardenTestSupport
import Testing

@testable import PortwardenScan

/// ZooKeeper against Debian's real server (`ZooKeeperLab.swift`): a session without credentials,
/// one getChildren of `/`, judged by the reply's error code.
@Suite("ZooKeeper in a network namespace", .runnable(unless: ZooKeeperLab.lab.unavailableReason))
struct ZooKeeperLabTests {
    static func detection(_ keyPath: KeyPath<ZooKeeperLabOutcome, ServiceDetection?>) throws -> ServiceDetection {
        try #require(try ZooKeeperLab.outcome.value()[keyPath: keyPath])
    }

    @Test func openRootIsNoAuthenticationAtAll() throws {
        let detection = try Self.detection(\.open)
        #expect(detection.service == "zookeeper")
        #expect(detection.method == .probed)
        // `srvr` on its own connection names the release.
        #expect(detection.product == "ZooKeeper")
        #expect(detection.version != nil && detection.version == DaemonVersion.zooKeeper, "\(detection)")
        // A fresh server's root holds the `zookeeper` system node only.
        let detail = "getChildren of / served without credentials (1 child)"
        #expect(
            detection.handshakes == [
                "INS-ZOOKEEPER-ANON": "confirmed (\(detail))", "INS-ZOOKEEPER-CLEAR": "not-matched (\(detail))",
            ])
    }

    @Test func rootWithADigestACLWantsCredentialsInCleartext() throws {
        let detection = try Self.detection(\.protected)
        #expect(detection.service == "zookeeper")
        #expect(detection.product == "ZooKeeper")
        let detail = "getChildren of / refused: NoAuth (-102)"
        #expect(
            detection.handshakes == [
                "INS-ZOOKEEPER-ANON": "not-matched (\(detail))", "INS-ZOOKEEPER-CLEAR": "confirmed (\(detail))",
            ])
    }

    /// Another protocol on 2181 answers the ConnectRequest with bytes that are no ConnectResponse:
    /// both rows are `not-matched` there, and the port is named after what it is.
    @Test func anotherServiceOn2181IsNotMatched() throws {
        let detection = try Self.detection(\.notZooKeeper)
        #expect(detection.service == "http")
        #expect(
            detection.handshakes["INS-ZOOKEEPER-ANON"] == "not-matched"
                && detection.handshakes["INS-ZOOKEEPER-CLEAR"] == "not-matched",
            "\(detection.handshakes)")
    }
}

/// The ConnectRequest is sent to 2181 alone: no server of the shared detection lab (which has none
/// on 2181) gets a ZooKeeper verdict or name.
@Suite("ZooKeeper probe stays on 2181")
struct ZooKeeperPortTests {
    @Test(arguments: ["INS-ZOOKEEPER-ANON", "INS-ZOOKEEPER-CLEAR"])
    func otherServicesRecordNoZooKeeperVerdict(rule: String) throws {
        try BrokerLabTests.expectOnlyPort(2181, hasVerdictOf: rule, service: "zookeeper")
    }
}
