import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

/// The reply side without sockets: handcrafted SYN-ACK, RST and ICMP packets through the parser,
/// the cookie check and the BPF program; truncated and random bytes never crash.
@Suite("SYN replies: parsing, cookies, capture filter")
struct SYNReplyTests {
    static let us: UInt32 = 0x0A4E_0001
    static let target: UInt32 = 0x0A4E_0002
    static let cookie = SYNCookie(key: SipHash24(k0: 0x0123_4567_89AB_CDEF, k1: 0x0FED_CBA9_8765_4321))

    /// An IPv4 header (checksum filled) in front of `payload`.
    static func ipv4(
        source: UInt32, destination: UInt32, protocolNumber: UInt8, payload: [UInt8], options: [UInt8] = [],
        ttl: UInt8 = 63
    ) -> [UInt8] {
        let headerLength = 20 + options.count
        let total = headerLength + payload.count
        var header: [UInt8] = [
            UInt8(0x40 | headerLength / 4), 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 1, 0x40, 0, ttl,
            protocolNumber, 0, 0,
        ]
        header += be32(source) + be32(destination) + options
        let checksum = header.withUnsafeBytes { InternetChecksum.of($0) }
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xFF)
        return header + payload
    }

    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// A TCP header from the target's `port` to our `localPort`, with `options` (padded).
    static func tcp(port: UInt16, localPort: UInt16, ack: UInt32, flags: UInt8, options: [UInt8] = []) -> [UInt8] {
        let length = 20 + options.count
        return [UInt8(port >> 8), UInt8(port & 0xFF), UInt8(localPort >> 8), UInt8(localPort & 0xFF)]
            + be32(0x5555_0000) + be32(ack) + [UInt8(length / 4) << 4, flags, 0xFF, 0xFF, 0, 0, 0, 0] + options
    }

    static func reply(port: UInt16, attempt: Int, flags: UInt8, options: [UInt8] = []) -> [UInt8] {
        let localPort = cookie.sourcePort(target: target, port: port, attempt: attempt)
        let isn = cookie.cookie(source: us, destination: target, sourcePort: localPort, destinationPort: port)
        return ipv4(
            source: target, destination: us, protocolNumber: 6,
            payload: tcp(port: port, localPort: localPort, ack: isn &+ 1, flags: flags, options: options))
    }

    static func parse(_ bytes: [UInt8]) -> Result<SYNReply, SYNReplyRejection> {
        bytes.withUnsafeBytes { SYNReplyParser.parse($0) }
    }

    @Test func synAckWithOptionsParsesAndCarriesOurCookie() throws {
        let options: [UInt8] = [2, 4, 0x05, 0xB4, 1, 1, 4, 2]
        let packet = Self.reply(port: 443, attempt: 1, flags: 0x12, options: options)
        guard case .success(.tcp(let segment)) = Self.parse(packet) else {
            Issue.record("not parsed as TCP: \(Self.parse(packet))")
            return
        }
        #expect(segment.isSYNACK && !segment.isReset)
        #expect(segment.source == Self.target && segment.destination == Self.us && segment.sourcePort == 443)
        #expect(segment.ttl == 63)
        #expect(Self.cookie.attempt(sourcePort: segment.destinationPort) == 1)
        #expect(Self.cookie.accepts(segment))
        var forged = segment
        forged.acknowledgment &+= 1
        #expect(!Self.cookie.accepts(forged))
        var otherPort = segment
        otherPort.sourcePort = 444
        #expect(!Self.cookie.accepts(otherPort))
    }

    @Test func resetWithIPOptionsParses() throws {
        let tcp = Self.tcp(
            port: 23, localPort: Self.cookie.sourcePort(target: Self.target, port: 23, attempt: 0),
            ack: 0, flags: 0x14)
        let packet = Self.ipv4(
            source: Self.target, destination: Self.us, protocolNumber: 6, payload: tcp, options: [1, 1, 1, 0])
        guard case .success(.tcp(let segment)) = Self.parse(packet) else {
            Issue.record("not parsed as TCP")
            return
        }
        #expect(segment.isReset && segment.sourcePort == 23)
        #expect(!Self.cookie.accepts(segment))  // ack 0 is not our cookie + 1
        #expect(Self.cookie.accepts(Self.tcpSegment(Self.reply(port: 23, attempt: 0, flags: 0x14))))
    }

    static func tcpSegment(_ packet: [UInt8]) -> SYNReply.TCPSegment {
        if case .success(.tcp(let segment)) = parse(packet) { return segment }
        return SYNReply.TCPSegment(
            source: 0, destination: 0, sourcePort: 0, destinationPort: 0, sequence: 0, acknowledgment: 0, flags: 0,
            ttl: 0)
    }

    /// An ICMP unreachable from `reporter` quoting our probe to `port`.
    static func unreachable(code: UInt8, port: UInt16, quotedBytes: Int = 8) -> [UInt8] {
        let localPort = cookie.sourcePort(target: target, port: port, attempt: 0)
        let probe = SYNPacket(
            source: us, destination: target, sourcePort: localPort, destinationPort: port,
            sequence: cookie.cookie(source: us, destination: target, sourcePort: localPort, destinationPort: port)
        ).bytes()
        var icmp: [UInt8] = [3, code, 0, 0, 0, 0, 0, 0] + probe.prefix(20 + quotedBytes)
        let checksum = icmp.withUnsafeBytes { InternetChecksum.of($0) }
        icmp[2] = UInt8(checksum >> 8)
        icmp[3] = UInt8(checksum & 0xFF)
        return ipv4(source: target, destination: us, protocolNumber: 1, payload: icmp)
    }

    @Test(arguments: [
        (UInt8(13), "admin-prohibited"), (1, "host-unreach"), (3, "port-unreach"), (0, "net-unreach"),
        (10, "admin-prohibited"), (2, "proto-unreach"), (4, "unreachable"),
    ])
    func icmpUnreachableQuotingOurProbeIsAccepted(code: UInt8, reason: String) throws {
        let packet = Self.unreachable(code: code, port: 8443)
        guard case .success(.unreachable(let message)) = Self.parse(packet) else {
            Issue.record("not parsed as ICMP unreachable")
            return
        }
        #expect(message.code == code && message.reporter == Self.target)
        #expect(message.probeDestination == Self.target && message.probeDestinationPort == 8443)
        #expect(Self.cookie.accepts(message))
        #expect(SYNReason.unreachable(code: code).text == reason)
        #expect(SYNReason.unreachable(code: code).state == .filtered)
    }

    @Test func icmpQuotingSomeoneElsesProbeIsRefused() {
        var packet = Self.unreachable(code: 13, port: 8443)
        packet[20 + 8 + 24] ^= 0xFF  // a quoted sequence byte
        guard case .success(.unreachable(let message)) = Self.parse(packet) else {
            Issue.record("not parsed")
            return
        }
        #expect(!Self.cookie.accepts(message))
    }

    @Test func rejectionsNameWhatIsWrong() {
        let good = Self.reply(port: 80, attempt: 0, flags: 0x12)
        #expect(Self.parse([]) == .failure(.truncated))
        #expect(Self.parse(Array(good.prefix(30))) == .failure(.truncated))
        var v6 = good
        v6[0] = 0x65
        #expect(Self.parse(v6) == .failure(.notIPv4))
        var badChecksum = good
        badChecksum[10] ^= 0x01
        #expect(Self.parse(badChecksum) == .failure(.badIPChecksum))
        #expect(Self.parse(Self.reply(port: 80, attempt: 0, flags: 0x10)) == .failure(.notAReply))
        let udp = Self.ipv4(
            source: Self.target, destination: Self.us, protocolNumber: 17, payload: [0, 1, 0, 2, 0, 8, 0, 0])
        #expect(Self.parse(udp) == .failure(.otherProtocol))
        let echo = Self.ipv4(
            source: Self.target, destination: Self.us, protocolNumber: 1, payload: [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(Self.parse(echo) == .failure(.otherICMP))
        #expect(Self.parse(Self.unreachable(code: 3, port: 80, quotedBytes: 4)) == .failure(.truncated))
    }

    @Test func everyTruncationAndRandomBytesAreHandled() {
        let samples = [
            Self.reply(port: 80, attempt: 0, flags: 0x12, options: [1, 1, 1, 1]), Self.unreachable(code: 13, port: 80),
        ]
        for sample in samples {
            for length in 0..<sample.count {
                if case .success = Self.parse(Array(sample.prefix(length))) {
                    Issue.record("a packet cut to \(length) of \(sample.count) bytes parsed")
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        var parsed = 0
        for _ in 0..<20_000 {
            var bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255) }
            if bytes.count > 20 { bytes[0] = 0x45 }
            if case .success = Self.parse(bytes) { parsed += 1 }
            _ = SYNCaptureFilter.evaluate(SYNCaptureFilter.program(low: 61000, high: 62023), on: bytes)
        }
        #expect(parsed < 20_000)
    }

    @Test func captureFilterKeepsOnlyRepliesToOurRange() {
        let program = SYNCaptureFilter.program(low: 61000, high: 62023)
        func keeps(_ packet: [UInt8]) -> Bool { SYNCaptureFilter.evaluate(program, on: packet) > 0 }
        #expect(keeps(Self.reply(port: 443, attempt: 0, flags: 0x12)))
        #expect(keeps(Self.reply(port: 443, attempt: 3, flags: 0x14)))
        #expect(keeps(Self.reply(port: 443, attempt: 0, flags: 0x04)))
        #expect(!keeps(Self.reply(port: 443, attempt: 0, flags: 0x10)))  // bare ACK
        #expect(!keeps(Self.reply(port: 443, attempt: 0, flags: 0x02)))  // SYN only
        let outside = Self.ipv4(
            source: Self.target, destination: Self.us, protocolNumber: 6,
            payload: Self.tcp(port: 443, localPort: 60999, ack: 1, flags: 0x12))
        #expect(!keeps(outside))
        let above = Self.ipv4(
            source: Self.target, destination: Self.us, protocolNumber: 6,
            payload: Self.tcp(port: 443, localPort: 62024, ack: 1, flags: 0x12))
        #expect(!keeps(above))
        #expect(keeps(Self.unreachable(code: 13, port: 443)))
        let echo = Self.ipv4(
            source: Self.target, destination: Self.us, protocolNumber: 1, payload: [8, 0, 0, 0, 0, 0, 0, 0])
        #expect(!keeps(echo))
        var fragment = Self.reply(port: 443, attempt: 0, flags: 0x12)
        fragment[7] = 0x10
        #expect(!keeps(fragment))
        // The probe itself (to the target's port, from our range) is not a reply.
        let probe = SYNPacket(
            source: Self.us, destination: Self.target, sourcePort: 61000, destinationPort: 443, sequence: 1)
        #expect(!keeps(probe.bytes()))
    }

    @Test func sourcePortsEncodeTheTryAndStayInTheRange() {
        for port in [UInt16(1), 22, 443, 65535] {
            for attempt in 0..<SYNCookie.maximumTries {
                let sourcePort = Self.cookie.sourcePort(target: Self.target, port: port, attempt: attempt)
                #expect(sourcePort >= 61000 && sourcePort <= Self.cookie.lastPort)
                #expect(Self.cookie.attempt(sourcePort: sourcePort) == attempt)
            }
        }
        #expect(Self.cookie.lastPort == 62023)
        #expect(Self.cookie.attempt(sourcePort: 60999) == nil)
        #expect(Self.cookie.attempt(sourcePort: 62024) == nil)
        let a = Self.cookie.cookie(source: Self.us, destination: Self.target, sourcePort: 61000, destinationPort: 80)
        let b = Self.cookie.cookie(source: Self.us, destination: Self.target, sourcePort: 61001, destinationPort: 80)
        #expect(a != b)
        // The cookie is SipHash-2-4 of the 12 bytes in network order, truncated to 32 bits.
        let key = SipHash24(k0: 0x0123_4567_89AB_CDEF, k1: 0x0FED_CBA9_8765_4321)
        let input: [UInt8] = [10, 78, 0, 1, 10, 78, 0, 2, 0xEE, 0x48, 0x00, 0x50]
        #expect(a == UInt32(truncatingIfNeeded: key.hash(input)))
    }
}
