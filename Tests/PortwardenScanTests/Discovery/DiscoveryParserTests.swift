import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("Host discovery: ICMP replies, the ARP table, route verdicts")
struct DiscoveryParserTests {
    private let target = IPAddress("10.1.2.3")!
    private let router = IPAddress("10.1.2.254")!

    /// An IPv4 header (20 bytes, protocol ICMP) from `source` to `destination`.
    private func ipv4Header(source: IPAddress, destination: IPAddress, length: Int) -> [UInt8] {
        let s = source.ipv4Value
        let d = destination.ipv4Value
        return [
            0x45, 0, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, 0, 0, 64, 1, 0, 0,
            UInt8(s >> 24), UInt8(s >> 16 & 0xFF), UInt8(s >> 8 & 0xFF), UInt8(s & 0xFF),
            UInt8(d >> 24), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF),
        ]
    }

    private func parse(_ bytes: [UInt8], from: IPAddress, raw: Bool = true, ipv6: Bool = false) -> ICMPDiscoveryReply? {
        bytes.withUnsafeBytes {
            ICMPDiscoveryReplyParser.parse($0, from: from, ipv6: ipv6, raw: raw, identifier: 0x1234)
        }
    }

    @Test func echoRequestsCarryAValidChecksum() {
        let echo = ICMPDiscoveryPacket.echo(identifier: 0x1234, sequence: 7, ipv6: false)
        #expect(echo[0] == 8)
        #expect(echo.withUnsafeBytes { InternetChecksum.of($0) } == 0)
        let stamp = ICMPDiscoveryPacket.timestamp(identifier: 0x1234, sequence: 7)
        #expect(stamp[0] == 13 && stamp.count == 20)
        #expect(stamp.withUnsafeBytes { InternetChecksum.of($0) } == 0)
    }

    @Test func ourEchoReplyOverARawSocketMakesTheHostUp() {
        let reply: [UInt8] = [0, 0, 0, 0, 0x12, 0x34, 0, 7]
        let packet = ipv4Header(source: target, destination: router, length: 28) + reply
        #expect(parse(packet, from: target) == .reply(host: target, method: .icmpEcho))
        var other = packet
        other[24] = 0x99
        #expect(parse(other, from: target) == nil, "another program's identifier is not ours")
    }

    @Test func pingSocketRepliesHaveNoIPHeaderAndARewrittenIdentifier() {
        let reply: [UInt8] = [0, 0, 0, 0, 0x00, 0x42, 0, 7]
        #expect(parse(reply, from: target, raw: false) == .reply(host: target, method: .icmpEcho))
    }

    @Test func timestampRepliesCount() {
        let reply: [UInt8] = [14, 0, 0, 0, 0x12, 0x34, 0, 1] + [UInt8](repeating: 0, count: 12)
        let packet = ipv4Header(source: target, destination: router, length: 40) + reply
        #expect(parse(packet, from: target) == .reply(host: target, method: .icmpTimestamp))
    }

    @Test func anICMPErrorNamesTheQuotedTargetAndItsReporter() {
        let quotedEcho: [UInt8] = [8, 0, 0, 0, 0x12, 0x34, 0, 7]
        let quoted = ipv4Header(source: router, destination: target, length: 28) + quotedEcho
        let error: [UInt8] = [3, 13, 0, 0, 0, 0, 0, 0] + quoted
        let packet = ipv4Header(source: router, destination: router, length: 20 + error.count) + error
        #expect(
            parse(packet, from: router)
                == .error(target: target, reporter: router, type: 3, code: 13, method: .icmpEcho))
        #expect(ICMPDiscoveryReply.errorText(type: 3, code: 13, ipv6: false) == "admin-prohibited")
        #expect(ICMPDiscoveryReply.errorText(type: 1, code: 1, ipv6: true) == "admin-prohibited")
    }

    @Test func truncatedAndForeignPacketsAreIgnored() {
        for length in 0..<28 {
            let packet = Array(ipv4Header(source: target, destination: router, length: 28).prefix(length))
            #expect(parse(packet, from: target) == nil)
        }
        let request: [UInt8] = [8, 0, 0, 0, 0x12, 0x34, 0, 7]
        #expect(parse(ipv4Header(source: target, destination: router, length: 28) + request, from: target) == nil)
    }

    @Test func icmpv6EchoReplyAndErrorQuotingOurEcho() {
        let v6 = IPAddress("fd00::2")!
        let reply: [UInt8] = [129, 0, 0, 0, 0x12, 0x34, 0, 1]
        #expect(parse(reply, from: v6, ipv6: true) == .reply(host: v6, method: .icmpEcho))
        var quoted = [UInt8](repeating: 0, count: 40)
        quoted[0] = 0x60
        quoted[6] = 58
        quoted[39] = 2
        quoted[24] = 0xFD
        let error: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0] + quoted + [128, 0, 0, 0, 0x12, 0x34, 0, 1]
        let routerV6 = IPAddress("fd00::1")!
        #expect(
            parse(error, from: routerV6, ipv6: true)
                == .error(target: v6, reporter: routerV6, type: 1, code: 1, method: .icmpEcho))
    }

    @Test func theARPTableListsOnlyCompleteEntries() {
        let text = """
            IP address       HW type     Flags       HW address            Mask     Device
            10.88.0.3        0x1         0x2         6a:1f:00:aa:bb:cc     *        pw1a
            10.88.0.5        0x1         0x0         00:00:00:00:00:00     *        pw1a
            garbage line
            10.88.0.9        0x1         0x6         6a:1f:00:aa:bb:cd     *        pw1a
            """
        let table = NeighbourTable.parse(Array(text.utf8))
        #expect(table.resolved == [IPAddress("10.88.0.3")!: "pw1a", IPAddress("10.88.0.9")!: "pw1a"])
    }

    @Test func aMissingRouteSaysWhatToCheck() {
        let text = RouteVerdict.reason(errno: Kernel.Errno.networkUnreachable, host: target)
        #expect(text.contains("ENETUNREACH") && text.contains("ip route get 10.1.2.3") && text.contains("vantage"))
        #expect(RouteVerdict.reason(errno: Kernel.Errno.addressNotAvailable, host: target).contains("source address"))
    }

    @Test func downReasonsNameWhatWasTriedAndWhatCameBack() {
        var state = DiscoveryState(hosts: [target, router])
        state.entries[0].sourceAddress = IPAddress("10.1.2.1")
        state.apply(.error(target: target, reporter: IPAddress("10.9.9.9")!, type: 3, code: 1, method: .icmpEcho))
        state.apply(.error(target: router, reporter: router, type: 3, code: 10, method: .icmpEcho))
        var configuration = DiscoveryConfiguration()
        configuration.tcpPorts = [443, 80]
        state.concludeDown(methods: configuration, icmpUsed: [.raw, .none])
        #expect(state.entries[0].status == .down)
        #expect(state.entries[0].reason.contains("icmp-echo, icmp-timestamp, tcp-connect to 443,80"))
        #expect(state.entries[0].reason.contains("host-unreach from 10.9.9.9"))
        #expect(state.entries[1].status == .up)
        #expect(state.entries[1].reason == "admin-prohibited from the host itself (icmp-echo)")
    }
}
