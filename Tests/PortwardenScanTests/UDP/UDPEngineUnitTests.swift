import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

/// The pure parts of the engine: control messages decoded with the kernel's `cmsghdr` and
/// `sock_extended_err`, ICMP classification, the RTT estimator, the token bucket and the BER reader.
@Suite("UDP engine parts")
struct UDPEngineUnitTests {
    /// A control buffer as the kernel writes it for one IPv4 port unreachable from 10.99.0.2.
    static func ipv4Control(errno: UInt32 = 111, origin: UInt8 = 2, type: UInt8 = 3, code: UInt8 = 3) -> [UInt8] {
        let payload: [UInt8] =
            le32(errno) + [origin, type, code, 0] + le32(0) + le32(0)  // sock_extended_err
            + [2, 0, 0, 0, 10, 99, 0, 2] + [UInt8](repeating: 0, count: 8)  // sockaddr_in offender
        return le64(UInt64(16 + payload.count)) + le32(0) + le32(11) + payload  // SOL_IP, IP_RECVERR
    }

    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    static func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    @Test("an IP_RECVERR control message decodes errno, origin, type, code and the offender")
    func parseIPv4() throws {
        let entries = UDPErrorQueueEntry.parse(control: Self.ipv4Control())
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(entry.errno == 111)
        #expect(entry.origin == UDPErrorQueueEntry.originICMP)
        #expect(entry.type == 3)
        #expect(entry.code == 3)
        #expect(entry.offender == IPAddress("10.99.0.2"))
    }

    @Test("an IPV6_RECVERR control message carries a sockaddr_in6 offender")
    func parseIPv6() throws {
        let address: [UInt8] = [0xFD, 0, 0, 0x99] + [UInt8](repeating: 0, count: 11) + [2]
        let payload: [UInt8] =
            Self.le32(113) + [3, 1, 1, 0] + Self.le32(0) + Self.le32(0)
            + [10, 0, 0, 0] + [0, 0, 0, 0] + address + Self.le32(0)
        let control = Self.le64(UInt64(16 + payload.count)) + Self.le32(41) + Self.le32(25) + payload
        let entry = try #require(UDPErrorQueueEntry.parse(control: control).first)
        #expect(entry.origin == UDPErrorQueueEntry.originICMP6)
        #expect(entry.offender == IPAddress("fd00:99::2"))
        #expect(UDPVerdict.classify(entry) == UDPVerdict(state: .filtered, reason: "admin-prohibited"))
    }

    @Test("control messages of other levels, truncated ones and garbage are skipped without trapping")
    func parseGarbage() {
        var other = Self.ipv4Control()
        other[12] = 7  // another cmsg type
        #expect(UDPErrorQueueEntry.parse(control: other).isEmpty)
        let full = Self.ipv4Control()
        for length in 0..<full.count {
            let entries = UDPErrorQueueEntry.parse(control: Array(full.prefix(length)))
            #expect(entries.isEmpty, "prefix \(length)")
        }
        var huge = full
        huge[0] = 0xFF
        huge[7] = 0x7F
        #expect(UDPErrorQueueEntry.parse(control: huge).isEmpty)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0..<96, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            _ = UDPErrorQueueEntry.parse(control: bytes)
        }
    }

    @Test("two control messages in one buffer are both read (CMSG_ALIGN to 8)")
    func parseTwo() {
        let entries = UDPErrorQueueEntry.parse(control: Self.ipv4Control() + Self.ipv4Control(code: 13))
        #expect(entries.map(\.code) == [3, 13])
    }

    @Test(
        "ICMP type/code classification",
        arguments: [
            (UInt8(2), UInt8(3), UInt8(3), PortState.closed, "port-unreach"),
            (2, 3, 13, .filtered, "admin-prohibited"),
            (2, 3, 1, .filtered, "host-unreach"),
            (2, 3, 0, .filtered, "net-unreach"),
            (2, 3, 2, .filtered, "proto-unreach"),
            (2, 3, 10, .filtered, "host-prohibited"),
            (2, 11, 0, .filtered, "time-exceeded"),
            (3, 1, 4, .closed, "port-unreach"),
            (3, 1, 1, .filtered, "admin-prohibited"),
            (3, 1, 3, .filtered, "host-unreach"),
            (3, 1, 0, .filtered, "net-unreach"),
        ])
    func classify(origin: UInt8, type: UInt8, code: UInt8, state: PortState, reason: String) {
        let entry = UDPErrorQueueEntry(errno: 0, origin: origin, type: type, code: code, info: 0, offender: nil)
        #expect(UDPVerdict.classify(entry) == UDPVerdict(state: state, reason: reason))
    }

    @Test("entries that say nothing about the port leave the probe waiting")
    func classifyUnknown() {
        let echoReply = UDPErrorQueueEntry(errno: 0, origin: 2, type: 0, code: 0, info: 0, offender: nil)
        #expect(UDPVerdict.classify(echoReply) == nil)
        let unknownOrigin = UDPErrorQueueEntry(errno: 0, origin: 9, type: 3, code: 3, info: 0, offender: nil)
        #expect(UDPVerdict.classify(unknownOrigin) == nil)
        #expect(UDPVerdict.classify(errno: Kernel.Errno.again) == nil)
        #expect(UDPVerdict.classify(errno: Kernel.Errno.connectionRefused) == .portUnreachable)
        #expect(UDPVerdict.classify(errno: Kernel.Errno.notPermitted)?.reason == "local-policy")
    }

    @Test("RTT estimator: first sample, smoothing, clamping (RFC 6298 as nmap; the shared estimator)")
    func estimator() {
        var rtt = RTTEstimator(initial: 1_000_000, minimum: 100_000, maximum: 10_000_000)
        #expect(rtt.timeout == 1_000_000)
        #expect(rtt.timing(of: IPAddress(ipv4: 0x7F00_0001)).srtt == nil)
        rtt.add(sample: 2_000)
        #expect(rtt.srtt == 2_000)
        #expect(rtt.rttvar == 5_000)  // clamped up to 5 ms
        #expect(rtt.timeout == 100_000)  // 22 ms clamped to the minimum
        rtt.add(sample: 10_000)
        #expect(rtt.srtt == 3_000)
        // RFC 6298: RTTVAR moves towards |SRTT − R'| with the SRTT before this sample (8 ms).
        #expect(rtt.rttvar == 5_000 + (8_000 - 5_000) / 4)
        rtt.add(sample: -1)
        rtt.add(sample: 9_000_000)
        #expect(rtt.srtt == 3_000)
    }

    @Test("token bucket: starts with one token, burst capped, then one token per 1/rate seconds")
    func bucket() {
        var bucket = TokenBucket(rate: 10, now: 0)
        let first = bucket.take(now: 0)
        let second = bucket.take(now: 0)
        #expect(first && !second)
        let wait = bucket.wait(now: 0)
        #expect(wait > 99_000_000 && wait <= 100_000_001)
        let early = bucket.take(now: 50_000_000)
        let onTime = bucket.take(now: 100_000_000)
        #expect(!early && onTime)
    }

    @Test("BER: integers in fewest octets, long lengths, OIDs; reader rejects truncation")
    func ber() {
        #expect(UDPBER.integer(0) == [2, 1, 0])
        #expect(UDPBER.integer(127) == [2, 1, 0x7F])
        #expect(UDPBER.integer(128) == [2, 2, 0, 0x80])
        #expect(UDPBER.integer(-1) == [2, 1, 0xFF])
        #expect(UDPBER.integer(65507) == [2, 3, 0, 0xFF, 0xE3])
        #expect(UDPBER.length(200) == [0x81, 200])
        #expect(UDPBER.length(300) == [0x82, 1, 0x2C])
        #expect(UDPBER.oid([1, 3, 6, 1, 4, 1, 311]) == [6, 7, 0x2B, 6, 1, 4, 1, 0x82, 0x37])
        let long = UDPBER.octetString([UInt8](repeating: 7, count: 300))
        let element = UDPBER.read(long, at: 0)
        #expect(element?.content == 4..<304)
        #expect(UDPBER.read(Array(long.prefix(303)), at: 0) == nil)
        #expect(UDPBER.read([0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF], at: 0) == nil)
        #expect(UDPBER.read([0x30, 0x80], at: 0) == nil)  // indefinite form
        let minusTwo = UDPBER.integer(-2)
        #expect(UDPBER.read(minusTwo, at: 0).flatMap { UDPBER.integerValue(minusTwo, $0) } == -2)
    }

    @Test("configuration defaults: no SNMP community is ever guessed")
    func defaults() {
        let configuration = UDPScanConfiguration()
        #expect(configuration.snmpCommunities.isEmpty)
        #expect(configuration.maxInFlight == 256)
        #expect(configuration.maxRate == nil)
        #expect(configuration.perHostRate == nil)
        #expect(configuration.initialTimeout == .milliseconds(1000))
        #expect(configuration.maxRetries == 2)
    }
}
