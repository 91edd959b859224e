import PortwardenCore
import Testing

@testable import PortwardenScan

/// MQTT against real Mosquitto brokers (`DetectionLab+Brokers.swift`): a CONNECT without
/// credentials, judged by the CONNACK's return code.
@Suite("MQTT brokers in a network namespace")
struct BrokerLabTests {
    static func detection(_ port: UInt16, onSecondAddress: Bool) throws -> ServiceDetection {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable ?? outcome.missing[port] { try Test.cancel(Comment(rawValue: reason)) }
        let detections = onSecondAddress ? outcome.secondAddressDetections : outcome.detections
        return try #require(detections[port])
    }

    @Test func anonymousBrokerIsNoAuthenticationAtAll() throws {
        let detection = try Self.detection(1883, onSecondAddress: false)
        #expect(detection.service == "mqtt")
        #expect(detection.method == .probed)
        let connAck = "CONNACK 0 (accepted) to a CONNECT without credentials"
        #expect(
            detection.handshakes == [
                "INS-MQTT-ANON": "confirmed (\(connAck))", "INS-MQTT-CLEAR": "not-matched (\(connAck))",
            ])
    }

    @Test func brokerWantingCredentialsTakesThemInCleartext() throws {
        let detection = try Self.detection(1883, onSecondAddress: true)
        #expect(detection.service == "mqtt")
        let connAck = "CONNACK 5 (not authorised) to a CONNECT without credentials"
        #expect(
            detection.handshakes == [
                "INS-MQTT-ANON": "not-matched (\(connAck))", "INS-MQTT-CLEAR": "confirmed (\(connAck))",
            ])
    }

    /// Only the brokers are called MQTT: the CONNECT is sent to 1883 alone, and no other lab server
    /// gets an MQTT verdict.
    @Test func otherServicesRecordNoMQTTVerdict() throws {
        try Self.expectOnlyPort(1883, hasVerdictOf: "INS-MQTT-ANON", service: "mqtt")
    }

    /// No lab server on 127.0.0.1 but the one on `port` is named `service` or has a verdict of `rule`:
    /// a protocol's probe is sent to its own port alone.
    static func expectOnlyPort(_ port: UInt16, hasVerdictOf rule: String, service: String) throws {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable { try Test.cancel(Comment(rawValue: reason)) }
        for (other, detection) in outcome.detections where other != port {
            #expect(detection.handshakes[rule] == nil, "\(other)")
            #expect(detection.service != service, "\(other)")
        }
    }
}

@Suite("MQTT CONNECT and CONNACK bytes")
struct MQTTConnAckTests {
    @Test func connectIsAWellFormedCredentialFreeConnect() {
        let connect = MQTTConnAck.connect
        #expect(connect[0] == 0x10)
        #expect(Int(connect[1]) == connect.count - 2)
        #expect(Array(connect[2..<8]) == [0x00, 0x04] + Array("MQTT".utf8))
        #expect(connect[8] == 0x04)
        // Connect flags: clean session only; no user name (0x80), password (0x40) or will (0x04).
        #expect(connect[9] == 0x02)
        #expect(connect.suffix(MQTTConnAck.clientID.utf8.count) == ArraySlice(MQTTConnAck.clientID.utf8))
    }

    @Test(arguments: [
        ([UInt8](), MQTTConnAck.incomplete), ([0x20], .incomplete), ([0x20, 0x02, 0x00], .incomplete),
        ([0x20, 0x02, 0x00, 0x00], .connAck(returnCode: 0)), ([0x20, 0x02, 0x01, 0x05], .connAck(returnCode: 5)),
        ([0x20, 0x03, 0x00, 0x00], .notMQTT), ([0x20, 0x02, 0x02, 0x00], .notMQTT),
        ([0x20, 0x02, 0x00, 0x06], .notMQTT),
        (Array("HTTP/1.1 400".utf8), .notMQTT), ([0x15, 0x03, 0x01], .notMQTT),
    ])
    func connAck(bytes: [UInt8], expected: MQTTConnAck) {
        #expect(MQTTConnAck.parse(bytes) == expected)
    }
}

/// etcd against the real daemon (`DetectionLab+Etcd.swift`): `/version`, then a count-only range read.
@Suite("etcd without TLS in a network namespace")
struct EtcdLabTests {
    @Test func etcdWithoutAuthenticationServesAnyone() throws {
        let detection = try BrokerLabTests.detection(2379, onSecondAddress: false)
        #expect(detection.service == "etcd-client")
        #expect(detection.product == "etcd")
        #expect(detection.version == DaemonVersion.etcd)
        let detail = "count-only range read served without credentials"
        #expect(detection.handshakes["INS-ETCD-ANON"] == "confirmed (\(detail))")
        #expect(detection.handshakes["INS-ETCD-CLEAR"] == "not-matched (\(detail))")
    }

    @Test func etcdWithAuthenticationTakesCredentialsInCleartext() throws {
        let detection = try BrokerLabTests.detection(2379, onSecondAddress: true)
        #expect(detection.service == "etcd-client")
        let detail = "range read refused: etcdserver: user name is empty"
        #expect(detection.handshakes["INS-ETCD-ANON"] == "not-matched (\(detail))")
        #expect(detection.handshakes["INS-ETCD-CLEAR"] == "confirmed (\(detail))")
    }
}

@Suite("etcd gateway replies")
struct EtcdReplyTests {
    @Test func versionBody() throws {
        let version = try #require(EtcdReply.version(Array(#"{"etcdserver":"3.4.23","etcdcluster":"3.4.0"}"#.utf8)))
        #expect(version.server == "3.4.23")
        #expect(version.cluster == "3.4.0")
        #expect(EtcdReply.version(Array(#"{"ApiVersion":"1.43"}"#.utf8)) == nil)
        #expect(EtcdReply.version(Array(#"{"etcdserver": 3}"#.utf8)) == nil)
        #expect(EtcdReply.version(Array(#"{"etcdserver":"3.4"#.utf8)) == nil)
    }

    @Test(arguments: [
        (200, #"{"header":{"revision":"1"}}"#, EtcdReply.RangeResult.served),
        (
            400, #"{"error":"etcdserver: user name is empty","code":3}"#,
            .authenticationRequired("etcdserver: user name is empty")
        ),
        (
            401, #"{"message":"etcdserver: invalid auth token"}"#,
            .authenticationRequired("etcdserver: invalid auth token")
        ),
        (400, #"{"error":"etcdserver: key is not provided"}"#, .unknown), (404, "404 page not found", .unknown),
        (200, "{}", .unknown),
    ])
    func rangeReplies(status: Int, body: String, expected: EtcdReply.RangeResult) {
        #expect(EtcdReply.range(status: status, body: Array(body.utf8)) == expected)
    }
}
