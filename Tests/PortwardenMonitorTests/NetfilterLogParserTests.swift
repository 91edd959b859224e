import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@testable import PortwardenMonitor

@Suite("netfilter LOG lines")
struct NetfilterLogParserTests {
    /// 2026-12-01T00:00:00Z: BSD stamps in November get this year, stamps in a future month last year.
    static let now = Date(timeIntervalSince1970: 1_796_083_200)
    let parser = NetfilterLogParser(now: now)

    func flow(_ line: String) throws -> FlowEvent {
        let record = try parser.parse(Array(line.utf8)[...])
        guard case .flow(let event) = record else {
            Issue.record("expected a flow, got \(record)")
            throw CancellationError()
        }
        return event
    }

    @Test("syslog framing, Portwarden's prefix, TCP SYN")
    func syslogTCP() throws {
        let event = try flow(
            "Nov 29 03:04:13 fw1 kernel: [86412.123456] PW-DROP cde-db IN=eth0 OUT= MAC=02:fc:00:00:00:01:02:fc:00:00:00:02:08:00 SRC=10.0.0.5 DST=10.20.1.10 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=54321 DF PROTO=TCP SPT=40000 DPT=23 WINDOW=64240 RES=0x00 SYN URGP=0"
        )
        #expect(event.sourceAddress == IPAddress("10.0.0.5"))
        #expect(event.destinationAddress == IPAddress("10.20.1.10"))
        #expect(event.sourcePort == 40000)
        #expect(event.destinationPort == 23)
        #expect(event.transport == .tcp)
        #expect(event.verdict == .denied)
        #expect(event.tag == "PW-DROP cde-db")
        #expect(event.sensor == "fw1")
        #expect(Timestamp.format(event.time) == "2026-11-29T03:04:13Z")
    }

    @Test("a December stamp read on 1 December of the next year is last year's")
    func yearRollover() throws {
        let event = try flow(
            "Dec 31 23:59:59 fw1 kernel: ACCEPT IN=eth0 OUT= SRC=10.0.0.5 DST=10.0.0.6 LEN=60 PROTO=UDP SPT=1 DPT=53 LEN=40"
        )
        #expect(Timestamp.format(event.time) == "2025-12-31T23:59:59Z")
        #expect(event.verdict == .allowed)
        #expect(event.transport == .udp)
    }

    @Test("journal short-iso, RFC 5424 and bare dmesg framing")
    func framings() throws {
        let iso = try flow(
            "2026-11-29T03:04:13+0000 fw1 kernel: PW-ACCEPT cde-app IN=veth0 OUT= SRC=10.1.0.2 DST=10.2.0.2 LEN=60 PROTO=TCP SPT=5 DPT=443 SYN"
        )
        #expect(Timestamp.format(iso.time) == "2026-11-29T03:04:13Z")
        #expect(iso.verdict == .allowed)
        let rfc5424 = try flow(
            "<4>1 2026-11-29T03:04:13.5Z fw2 kernel - - - nft-deny IN=eth1 OUT= SRC=10.1.0.2 DST=10.2.0.2 LEN=60 PROTO=TCP SPT=5 DPT=22"
        )
        #expect(rfc5424.sensor == "fw2")
        #expect(rfc5424.tag == "nft-deny")
        #expect(rfc5424.verdict == .denied)
        let dmesg = try flow("[ 8641.123] IN=eth0 OUT= SRC=10.1.0.2 DST=10.2.0.2 LEN=60 PROTO=TCP SPT=5 DPT=22")
        #expect(dmesg.time == Self.now)
        #expect(dmesg.tag == nil)
        #expect(dmesg.verdict == .unknown)
    }

    @Test("IPv6 and ICMPv6")
    func ipv6() throws {
        let event = try flow(
            "Nov 29 03:04:13 fw1 kernel: PW-DROP cde IN=eth0 OUT= SRC=fd00::5 DST=fd00:20::10 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=1 PROTO=TCP SPT=40000 DPT=5432 WINDOW=1 RES=0x00 SYN URGP=0"
        )
        #expect(event.sourceAddress == IPAddress("fd00::5"))
        #expect(event.destinationPort == 5432)
        let icmp = try flow(
            "Nov 29 03:04:13 fw1 kernel: PW-DROP cde IN=eth0 OUT= SRC=fd00::5 DST=fd00:20::10 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=1 PROTO=ICMPv6 TYPE=128 CODE=0 ID=1 SEQ=1"
        )
        #expect(icmp.ipProtocol == 58)
        #expect(icmp.icmpType == 128)
        #expect(icmp.destinationPort == nil)
    }

    @Test("an ICMP error's inner packet does not replace the outer addresses")
    func icmpInnerPacket() throws {
        let event = try flow(
            "Nov 29 03:04:13 fw1 kernel: DROP IN=eth0 OUT= SRC=10.9.9.9 DST=10.0.0.5 LEN=88 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.0.5 DST=10.9.9.9 LEN=60 PROTO=UDP SPT=5000 DPT=161 LEN=40 ] "
        )
        #expect(event.sourceAddress == IPAddress("10.9.9.9"))
        #expect(event.destinationAddress == IPAddress("10.0.0.5"))
        #expect(event.icmpType == 3)
        #expect(event.icmpCode == 3)
        #expect(event.sourcePort == nil)
    }

    @Test("a truncated packet keeps its addresses; broken fields are located errors")
    func brokenFields() throws {
        let truncated = try flow(
            "kernel: DROP IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 PROTO=TCP INCOMPLETE [20 bytes]")
        #expect(truncated.destinationPort == nil)
        let line = "Nov 29 03:04:13 fw1 kernel: DROP IN=eth0 OUT= SRC=10.0.0 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=2"
        #expect(throws: LogLineError(offset: 46, "SRC= is not an address (\"10.0.0\")")) {
            try parser.parse(Array(line.utf8)[...])
        }
        #expect(throws: LogLineError.self) {
            try parser.parse(Array("kernel: DROP IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=1".utf8)[...])
        }
        #expect(throws: LogLineError.self) {
            try parser.parse(
                Array("kernel: DROP IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=99999".utf8)[...])
        }
    }

    @Test("other kernel messages and ARP packets are not flows")
    func ignored() throws {
        #expect(try parser.parse(Array("Nov 29 03:04:13 fw1 kernel: eth0: link up".utf8)[...]) == .ignored)
        #expect(
            try parser.parse(
                Array("kernel: ARPDROP IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 MACSRC=02:00:00:00:00:01".utf8)[
                    ...])
                == .ignored)
        #expect(try parser.parse(Array("\u{0}\u{1}garbage IN".utf8)[...]) == .ignored)
    }
}
