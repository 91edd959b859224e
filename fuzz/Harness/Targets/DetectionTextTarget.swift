@testable import PortwardenScan

/// The text-protocol helpers of service detection: banner completeness, FTP/SMTP reply codes,
/// first lines and decimal fields.
enum DetectionTextTarget: FuzzTarget {
    static let name = "detection-text"

    static func run(_ input: [UInt8]) {
        _ = PortProbe.bannerIsComplete(input)
        _ = PortProbe.replyIsComplete(input)
        _ = PortProbe.finalReplyCode(input)
        _ = DetectionText.firstLine(input)
        _ = DetectionText.lines(input)
        _ = DetectionText.decimal(input)
        _ = DetectionText.replyCode(input)
        _ = DetectionText.printable(input)
        _ = DetectionText.contains(input, "login:")
    }
}
