@testable import PortwardenScan

/// SMB negotiate responses in NetBIOS session framing (SMB1 and SMB2 headers).
enum DetectionSMBTarget: FuzzTarget {
    static let name = "detection-smb"

    static func run(_ input: [UInt8]) {
        _ = SMBNegotiation.parse(input)
    }
}
