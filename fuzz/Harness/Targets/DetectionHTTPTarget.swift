@testable import PortwardenScan

/// HTTP responses read by service detection (status line, headers, completeness).
enum DetectionHTTPTarget: FuzzTarget {
    static let name = "detection-http"

    static func run(_ input: [UInt8]) {
        _ = HTTPResponse.isComplete(input)
        _ = HTTPResponse.parse(input)
    }
}
