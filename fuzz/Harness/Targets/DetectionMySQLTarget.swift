@testable import PortwardenScan

/// MySQL/MariaDB initial handshake packets (greeting or error).
enum DetectionMySQLTarget: FuzzTarget {
    static let name = "detection-mysql"

    static func run(_ input: [UInt8]) {
        _ = MySQLGreeting.parse(input)
    }
}
