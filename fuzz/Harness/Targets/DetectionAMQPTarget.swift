@testable import PortwardenScan

/// AMQP 0-9-1: the `Connection.Start` reader. A frame is decided by its own bytes (its size field
/// says how many), what rules a prefix out rules out every longer input, and the evidence text is
/// printable whatever the broker sent.
enum DetectionAMQPTarget: FuzzTarget {
    static let name = "detection-amqp"

    static func run(_ input: [UInt8]) {
        let reading = AMQPConnectionStart.parse(input)
        switch reading {
        case .start(let start):
            let size = Int(input[3]) << 24 | Int(input[4]) << 16 | Int(input[5]) << 8 | Int(input[6])
            FuzzCheck.require(input.count >= 8 + size && input[7 + size] == 0xCE, "a start without its frame end")
            FuzzCheck.require(
                AMQPConnectionStart.parse(Array(input.prefix(8 + size))) == reading,
                "bytes past the frame changed the reading")
            let text = AMQPConnectionStart.describe(start)
            FuzzCheck.require(
                text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "evidence text with unprintable bytes")
            FuzzCheck.require(start.mechanisms.count <= 16 && start.properties.count <= 32, "unbounded lists")
        case .protocolHeader(let version):
            FuzzCheck.require(version.count == 4 && input.starts(with: Array("AMQP".utf8)), "a header that is none")
            FuzzCheck.require(AMQPConnectionStart.parse(input + [0]) == reading, "a longer input changed a header")
        case .incomplete:
            FuzzCheck.require(input.count < AMQPConnectionStart.maximumFrame + 8, "incomplete past the largest frame")
        case .notAMQP:
            FuzzCheck.require(AMQPConnectionStart.parse(input + [0]) == .notAMQP, "a longer input undid a refusal")
        }
    }
}
