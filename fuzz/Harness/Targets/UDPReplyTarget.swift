@testable import PortwardenScan

/// UDP service replies (DNS, TFTP, NTP, NetBIOS, SNMP, IPMI, SSDP, mDNS, memcached). The first
/// byte selects the port, bit 0 of the second whether the probe's cookie (bytes 3–4) is checked;
/// the reply starts at byte 5. Each reply also meets the second round trip with two SNMPv3 users
/// (cookie 0 when unchecked): a follow-up it asks for is one datagram per user that reads back with
/// that user's msgID, and an answer to one names a user that was configured.
enum UDPReplyTarget: FuzzTarget {
    static let name = "udp-reply"

    static let ports: [UInt16] = [53, 69, 123, 137, 161, 623, 1900, 5353, 11211]
    static let configuration = UDPScanConfiguration(snmpV3Users: ["pwlab", "ops"])

    static func run(_ input: [UInt8]) {
        guard input.count >= 4 else { return }
        let port = ports[Int(input[0]) % ports.count]
        let cookie: UInt16? = input[1] & 1 == 1 ? UInt16(input[2]) << 8 | UInt16(input[3]) : nil
        let reply = Array(input.dropFirst(4))
        _ = UDPPayloads.recognise(port: port, reply: reply, cookie: cookie)
        let followUp = UDPPayloads.followUp(port: port, reply: reply, cookie: cookie ?? 0, configuration: configuration)
        FuzzCheck.require(
            followUp.datagrams.isEmpty || followUp.datagrams.count == configuration.snmpV3Users.count,
            "a follow-up that is not one datagram per user")
        for (index, datagram) in followUp.datagrams.enumerated() {
            let message = SNMPv3Message(datagram)
            FuzzCheck.require(
                message?.messageID == Int(cookie ?? 0) << 8 | (index + 1)
                    && message?.userName == Array(configuration.snmpV3Users[index].utf8),
                "a follow-up datagram that does not read back as its user's request")
        }
        if let answer = UDPPayloads.recogniseFollowUp(
            port: port, reply: reply, cookie: cookie ?? 0, configuration: configuration)
        {
            FuzzCheck.require(
                configuration.snmpV3Users.indices.contains(answer.index), "an answer for a user never asked")
            _ = UDPPayloads.followUpVerdicts(port: port, answers: [answer.index: answer.answer])
        }
    }
}
