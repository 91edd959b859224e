@testable import PortwardenScan

/// TLS records a server answers a ClientHello with (ServerHello, alerts, garbage).
enum DetectionTLSTarget: FuzzTarget {
    static let name = "detection-tls"

    static func run(_ input: [UInt8]) {
        _ = TLSServerReply.parse(input)
    }
}
