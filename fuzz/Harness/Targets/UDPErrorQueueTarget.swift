@testable import PortwardenScan

/// `IP_RECVERR`/`IPV6_RECVERR` control messages (the ICMP errors a UDP socket's error queue holds).
enum UDPErrorQueueTarget: FuzzTarget {
    static let name = "udp-error-queue"

    static func run(_ input: [UInt8]) {
        _ = UDPErrorQueueEntry.parse(control: input)
    }
}
