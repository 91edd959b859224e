@testable import PortwardenScan

/// RDP X.224 connection confirms (negotiation response or failure).
enum DetectionRDPTarget: FuzzTarget {
    static let name = "detection-rdp"

    static func run(_ input: [UInt8]) {
        _ = RDPNegotiation.parse(input)
        _ = RDPNegotiation.isFinal(input)
    }
}
