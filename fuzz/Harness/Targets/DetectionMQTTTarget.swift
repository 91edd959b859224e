@testable import PortwardenScan

/// MQTT: the CONNACK reader, which must accept only a well-formed four-byte CONNACK.
enum DetectionMQTTTarget: FuzzTarget {
    static let name = "detection-mqtt"

    static func run(_ input: [UInt8]) {
        let reply = MQTTConnAck.parse(input)
        guard case .connAck(let code) = reply else { return }
        FuzzCheck.require(input.count >= 4 && input[0] == 0x20 && input[1] == 0x02, "CONNACK from other bytes")
        FuzzCheck.require(!MQTTConnAck.describe(code).isEmpty, "return code \(code) without a description")
    }
}
