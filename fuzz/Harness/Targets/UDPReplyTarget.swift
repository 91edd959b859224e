@testable import PortwardenScan

/// UDP service replies (DNS, TFTP, NTP, NetBIOS, SNMP, IPMI, SSDP, mDNS, memcached). The first
/// byte selects the port, bit 0 of the second whether the probe's cookie (bytes 3–4) is checked;
/// the reply starts at byte 5.
enum UDPReplyTarget: FuzzTarget {
    static let name = "udp-reply"

    static let ports: [UInt16] = [53, 69, 123, 137, 161, 623, 1900, 5353, 11211]

    static func run(_ input: [UInt8]) {
        guard input.count >= 4 else { return }
        let port = ports[Int(input[0]) % ports.count]
        let cookie: UInt16? = input[1] & 1 == 1 ? UInt16(input[2]) << 8 | UInt16(input[3]) : nil
        _ = UDPPayloads.recognise(port: port, reply: Array(input.dropFirst(4)), cookie: cookie)
    }
}
