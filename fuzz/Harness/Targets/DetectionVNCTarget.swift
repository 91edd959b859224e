@testable import PortwardenScan

/// RFB (VNC): the version banner, and the security-type message for the minor version the first
/// byte selects (3.3, 3.7, 3.8).
enum DetectionVNCTarget: FuzzTarget {
    static let name = "detection-vnc"

    static func run(_ input: [UInt8]) {
        _ = VNCHandshake.minorVersion(banner: input)
        guard let first = input.first else { return }
        let minor = [3, 7, 8][Int(first % 3)]
        _ = VNCHandshake.parseSecurityTypes(Array(input.dropFirst()), minor: minor)
    }
}
