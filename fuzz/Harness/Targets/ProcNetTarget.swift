@testable import PortwardenHost

/// `/proc/net/{tcp,udp}{,6}` socket tables; the first byte chooses the IPv6 layout.
enum ProcNetTarget: FuzzTarget {
    static let name = "proc-net"

    static func run(_ input: [UInt8]) {
        guard let first = input.first else { return }
        var entries = 0
        _ = ProcNetTable.parse(Array(input.dropFirst()), ipv6: first & 1 == 1) { _ in entries += 1 }
    }
}
