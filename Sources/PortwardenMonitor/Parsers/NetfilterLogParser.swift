import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the lines the kernel's `nf_log_syslog` backend writes for nftables `log` and iptables
/// `-j LOG`: in a syslog file, the journal (`journalctl -k`), a syslog message or bare `dmesg`,
/// with any log prefix, IPv4 or IPv6, TCP, UDP, ICMP or another protocol (`docs/monitoring.md`).
public struct NetfilterLogParser: Sendable {
    /// The reference time for BSD syslog stamps (they carry no year) and for bare kernel lines.
    public var now: Date

    public init(now: Date) { self.now = now }

    /// Parses one line.
    /// - Returns: a flow event; `.ignored` for a line that is not a netfilter packet log (another
    ///   kernel message, an ARP packet).
    /// - Throws: `LogLineError` for a netfilter line whose fields are broken.
    public func parse(_ line: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        let frame = SyslogFrame.read(line, now: now)
        var start = frame.messageStart
        // The kernel's own timestamp: "[86412.123456] " (may be space-padded inside the brackets).
        if start < line.endIndex, line[start] == UInt8(ascii: "["),
            let close = line[start...].prefix(24).firstIndex(of: UInt8(ascii: "]"))
        {
            start = LogBytes.skipSpaces(line, from: close + 1)
        }
        guard let inField = Self.inField(line, from: start) else { return .ignored }
        let prefix = Self.trimmed(line[start..<inField])
        var fields = NetfilterFields()
        try fields.read(line, from: inField)
        if fields.isARP || (fields.source == nil && fields.destination == nil) { return .ignored }
        guard let source = fields.source else { throw LogLineError(offset: inField - line.startIndex, "no SRC= field") }
        guard let destination = fields.destination else {
            throw LogLineError(offset: inField - line.startIndex, "no DST= field")
        }
        guard let proto = fields.ipProtocol else {
            throw LogLineError(offset: inField - line.startIndex, "no PROTO= field")
        }
        if proto == 6 || proto == 17 || proto == 136, !fields.truncated {
            guard fields.sourcePort != nil, fields.destinationPort != nil else {
                throw LogLineError(offset: fields.protoOffset, "PROTO=\(proto) without SPT=/DPT=")
            }
        }
        return .flow(
            FlowEvent(
                time: frame.time ?? now, origin: .netfilter, ipProtocol: proto == 136 ? 17 : proto,
                sourceAddress: source, sourcePort: fields.sourcePort, destinationAddress: destination,
                destinationPort: fields.destinationPort, verdict: Self.verdict(prefix), established: nil,
                sensor: frame.host, tag: prefix.isEmpty ? nil : LogBytes.text(prefix), icmpType: fields.icmpType,
                icmpCode: fields.icmpCode))
    }

    /// The index of the `IN=` token that opens the packet fields.
    private static func inField(_ line: ArraySlice<UInt8>, from: Int) -> Int? {
        var i = from
        while let hit = LogBytes.find(line, "IN=", from: i) {
            if hit == from || line[hit - 1] == LogBytes.space { return hit }
            i = hit + 3
        }
        return nil
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var b = bytes
        while let last = b.last, last == LogBytes.space { b = b.dropLast() }
        while let first = b.first, first == LogBytes.space { b = b.dropFirst() }
        return b
    }

    /// The verdict a prefix names: Portwarden's generated rules write `PW-DROP <zone>` and
    /// `PW-ACCEPT <zone>`; other rule sets commonly say DROP, DENY, REJECT, BLOCK or ACCEPT, ALLOW.
    static func verdict(_ prefix: ArraySlice<UInt8>) -> FlowEvent.Verdict {
        for word: StaticString in ["DROP", "DENY", "DENIED", "REJECT", "BLOCK"]
        where LogBytes.findIgnoringCase(prefix, word) {
            return .denied
        }
        for word: StaticString in ["ACCEPT", "ALLOW", "PASS"] where LogBytes.findIgnoringCase(prefix, word) {
            return .allowed
        }
        return .unknown
    }
}
