import Foundation
import PortwardenCore
import PortwardenTestSupport
import Testing

@testable import PortwardenScan

/// AMQP 0-9-1 against Debian's RabbitMQ in a namespace of its own (the broker's Erlang runtime takes
/// seconds to boot, longer than the shared detection lab waits): the protocol header on
/// 127.0.0.1:5672 and the broker's `Connection.Start`; on 127.0.0.2:5672 a server that answers the
/// header with HTTP (the negative case).
@Suite("AMQP against RabbitMQ in a network namespace", .runnable(unless: AMQPLab.lab.unavailableReason))
struct AMQPLabTests {
    static func detection(onSecondAddress: Bool) throws -> ServiceDetection {
        let probed = try AMQPLab.outcome.value()
        return try #require(onSecondAddress ? probed.other : probed.broker, "no detection for 5672")
    }

    @Test func rabbitmqOffersCleartextCredentials() throws {
        let detection = try Self.detection(onSecondAddress: false)
        #expect(detection.service == "amqp")
        #expect(detection.method == .probed)
        #expect(detection.product == "RabbitMQ")
        #expect(detection.version?.hasPrefix("3.") == true, "\(detection.version ?? "no version")")
        let verdict = try #require(detection.handshakes["INS-AMQP-CLEAR"])
        #expect(verdict.hasPrefix("confirmed (Connection.Start 0-9, RabbitMQ 3."), "\(verdict)")
        #expect(verdict.contains("mechanisms PLAIN AMQPLAIN"), "\(verdict)")
        #expect(detection.details["amqp.mechanisms"] == "PLAIN AMQPLAIN", "\(detection.details)")
    }

    /// Another protocol on 5672 answers the header with bytes that are no AMQP: the rule is
    /// `not-matched` there.
    @Test func anotherServiceOn5672IsNotMatched() throws {
        let detection = try Self.detection(onSecondAddress: true)
        #expect(detection.service != "amqp")
        #expect(detection.handshakes["INS-AMQP-CLEAR"] == "not-matched", "\(detection.handshakes)")
    }
}

/// The header is sent to 5672 alone: no server of the shared lab gets an AMQP verdict.
@Suite("AMQP probe stays on 5672")
struct AMQPPortTests {
    @Test func otherServicesRecordNoAMQPVerdict() throws {
        try BrokerLabTests.expectOnlyPort(5672, hasVerdictOf: "INS-AMQP-CLEAR", service: "amqp")
    }
}

/// Debian's RabbitMQ (an Erlang runtime, hence a ``SlowDaemonLab``) on the namespace's
/// 127.0.0.1:5672, with one listener and no plugins; the lab's socat server on 127.0.0.2:5672 is
/// the negative case. Probed once.
enum AMQPLab {
    struct Probed: Sendable {
        var broker: ServiceDetection?
        var other: ServiceDetection?
    }

    static let rabbitmq = "/usr/lib/rabbitmq/bin/rabbitmq-server"
    static let lab = SlowDaemonLab(name: "amqp", port: 5672, needs: [rabbitmq], packages: "rabbitmq-server")

    static let outcome: SlowDaemonLab.Outcome<Probed> = lab.run(
        prepare: { dir in
            try "listeners.tcp.default = 127.0.0.1:5672\n".write(
                toFile: "\(dir)/rabbitmq.conf", atomically: true, encoding: .utf8)
            try "[].\n".write(toFile: "\(dir)/enabled_plugins", atomically: true, encoding: .utf8)
        },
        daemon: { dir in
            [
                "/usr/bin/env", "HOME=\(dir)", "RABBITMQ_NODENAME=rabbit@localhost",
                "RABBITMQ_MNESIA_BASE=\(dir)/mnesia", "RABBITMQ_LOG_BASE=\(dir)/log",
                "RABBITMQ_CONFIG_FILE=\(dir)/rabbitmq", "RABBITMQ_ENABLED_PLUGINS_FILE=\(dir)/enabled_plugins",
                "RABBITMQ_PID_FILE=\(dir)/rabbitmq.pid", "ERL_EPMD_ADDRESS=127.0.0.1", rabbitmq,
            ]
        },
        log: { dir in (try? String(contentsOfFile: "\(dir)/log/rabbit@localhost.log", encoding: .utf8)) ?? "" },
        probe: {
            let targets = [(DetectionLab.address, lab.port), (DetectionLab.secondAddress, lab.port)]
            let probed = ServiceDetector(configuration: DetectionLab.labConfiguration).detectAll(targets)
            guard probed.count == 2 else {
                return .failure(.init(description: "detection returned \(probed.count) results for 2 targets"))
            }
            return .success(Probed(broker: probed[0], other: probed[1]))
        })
}

@Suite("AMQP 0-9-1 Connection.Start bytes")
struct AMQPConnectionStartTests {
    /// RabbitMQ 3.10.8's `Connection.Start` (Debian 12), as captured in the lab.
    static let rabbitmqStart: [UInt8] = hexBytes(
        "010000000001f0000a000a0009000001cb0c6361706162696c697469657346000000c7127075626c69736865725f636f"
            + "6e6669726d7374011a65786368616e67655f65786368616e67655f62696e64696e677374010a62617369632e6e61636b"
            + "740116636f6e73756d65725f63616e63656c5f6e6f74696679740112636f6e6e656374696f6e2e626c6f636b65647401"
            + "13636f6e73756d65725f7072696f72697469657374011c61757468656e7469636174696f6e5f6661696c7572655f636c"
            + "6f73657401107065725f636f6e73756d65725f716f7374010f6469726563745f7265706c795f746f74010c636c757374"
            + "65725f6e616d65530000000972616262697440766d09636f707972696768745300000037436f70797269676874202863"
            + "2920323030372d3230323220564d776172652c20496e632e206f722069747320616666696c69617465732e0b696e666f"
            + "726d6174696f6e53000000394c6963656e73656420756e64657220746865204d504c20322e302e20576562736974653a"
            + "2068747470733a2f2f7261626269746d712e636f6d08706c6174666f726d530000001145726c616e672f4f5450203235"
            + "2e322e330770726f6475637453000000085261626269744d510776657273696f6e5300000006332e31302e380000000e"
            + "504c41494e20414d51504c41494e00000005656e5f5553ce")

    static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    @Test func headerIsAMQP091() {
        #expect(AMQPConnectionStart.header == [0x41, 0x4D, 0x51, 0x50, 0, 0, 9, 1])
    }

    @Test func rabbitmqsStartIsRead() throws {
        #expect(Self.rabbitmqStart.count == 504)
        guard case .start(let start) = AMQPConnectionStart.parse(Self.rabbitmqStart) else {
            Issue.record("not read: \(AMQPConnectionStart.parse(Self.rabbitmqStart))")
            return
        }
        #expect(start.versionMajor == 0 && start.versionMinor == 9)
        #expect(start.properties["product"] == "RabbitMQ")
        #expect(start.properties["version"] == "3.10.8")
        #expect(start.properties["platform"] == "Erlang/OTP 25.2.3")
        #expect(start.mechanisms == ["PLAIN", "AMQPLAIN"])
        #expect(start.locales == ["en_US"])
        #expect(
            AMQPConnectionStart.describe(start) == "Connection.Start 0-9, RabbitMQ 3.10.8, mechanisms PLAIN AMQPLAIN")
        // Every proper prefix is incomplete: nothing is decided before the whole frame is there.
        for length in 0..<Self.rabbitmqStart.count {
            #expect(AMQPConnectionStart.parse(Array(Self.rabbitmqStart.prefix(length))) == .incomplete, "\(length)")
        }
    }

    @Test(arguments: [
        (Array("HTTP/1.0 400 Bad Request\r\n".utf8), AMQPConnectionStart.notAMQP),
        (Array("AMQP".utf8) + [0, 0, 9, 1], .protocolHeader([0, 0, 9, 1])),
        (Array("AMQP".utf8) + [3, 1, 0, 0], .protocolHeader([3, 1, 0, 0])),
        (Array("AMQX".utf8), .notAMQP),
        ([0x08, 0x00, 0x00], .notAMQP),  // a heartbeat frame, not a method
        ([0x01, 0x00, 0x01], .notAMQP),  // channel 1
        ([0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02], .notAMQP),  // too short for a method
        ([0x01, 0x00, 0x00, 0x7F, 0x00, 0x00, 0x00], .notAMQP),  // larger than any Connection.Start
        ([0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0A, 0x00, 0x0B], .notAMQP),  // Connection.Start-Ok
    ])
    func notAStart(bytes: [UInt8], expected: AMQPConnectionStart) {
        #expect(AMQPConnectionStart.parse(bytes) == expected)
    }

    @Test func aWrongFrameEndIsNotAMQP() {
        var frame = Self.rabbitmqStart
        frame[frame.count - 1] = 0x00
        #expect(AMQPConnectionStart.parse(frame) == .notAMQP)
    }

    /// A server-properties table whose value type this reader does not know is skipped as a whole:
    /// the mechanisms after it are still read.
    @Test func unknownPropertyTypeStillReadsTheMechanisms() throws {
        let table: [UInt8] =
            [7] + Array("product".utf8) + [UInt8(ascii: "S"), 0, 0, 0, 3] + Array("Foo".utf8)
            + [1, UInt8(ascii: "z"), UInt8(ascii: "?"), 1, 2, 3]
        let payload: [UInt8] =
            [0, 10, 0, 10, 0, 9, 0, 0, 0, UInt8(table.count)] + table + [0, 0, 0, 5]
            + Array("PLAIN".utf8) + [0, 0, 0, 5] + Array("en_US".utf8)
        let frame: [UInt8] = [1, 0, 0, 0, 0, 0, UInt8(payload.count)] + payload + [0xCE]
        guard case .start(let start) = AMQPConnectionStart.parse(frame) else {
            Issue.record("not read")
            return
        }
        #expect(start.properties == ["product": "Foo"])
        #expect(start.mechanisms == ["PLAIN"])
    }
}
