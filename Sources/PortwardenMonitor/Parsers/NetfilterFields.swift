import PortwardenCore
import PortwardenPolicy

/// The `KEY=VALUE` and flag tokens of one netfilter packet log, read left to right. The bracketed
/// copy of the offending packet inside an ICMP error is skipped (its SRC/DST are not this packet's).
struct NetfilterFields {
    var source: IPAddress?
    var destination: IPAddress?
    var ipProtocol: UInt8?
    var protoOffset = 0
    var sourcePort: UInt16?
    var destinationPort: UInt16?
    var icmpType: UInt8?
    var icmpCode: UInt8?
    var truncated = false
    var isARP = false

    mutating func read(_ line: ArraySlice<UInt8>, from: Int) throws(LogLineError) {
        var i = from
        while i < line.endIndex {
            i = LogBytes.skipSpaces(line, from: i)
            guard i < line.endIndex else { break }
            if line[i] == UInt8(ascii: "[") {
                i = Self.closingBracket(line, from: i)
                continue
            }
            let end = LogBytes.tokenEnd(line, from: i)
            let token = line[i..<end]
            if let equals = token.firstIndex(of: UInt8(ascii: "=")) {
                try field(key: line[i..<equals], value: line[(equals + 1)..<end], at: i - line.startIndex)
            } else if token.elementsEqual("INCOMPLETE".utf8) || token.elementsEqual("TRUNCATED".utf8) {
                truncated = true
            } else if token.elementsEqual("ARP".utf8), source == nil {
                isARP = true
            }
            i = end
        }
    }

    private mutating func field(key: ArraySlice<UInt8>, value: ArraySlice<UInt8>, at offset: Int) throws(LogLineError) {
        func address() throws(LogLineError) -> IPAddress {
            guard let address = IPAddress(utf8: value) else {
                throw LogLineError(
                    offset: offset, "\(LogBytes.text(key))= is not an address (\"\(LogBytes.text(value))\")")
            }
            return address
        }
        func port() throws(LogLineError) -> UInt16 {
            guard let port = LogBytes.port(value) else {
                throw LogLineError(offset: offset, "\(LogBytes.text(key))= is not a port (\"\(LogBytes.text(value))\")")
            }
            return port
        }
        func small() throws(LogLineError) -> UInt8 {
            guard let number = LogBytes.decimal(value, max: 255) else {
                throw LogLineError(
                    offset: offset, "\(LogBytes.text(key))= is not a number 0-255 (\"\(LogBytes.text(value))\")")
            }
            return UInt8(number)
        }
        switch key.count {
        case 3 where key.elementsEqual("SRC".utf8): if source == nil { source = try address() }
        case 3 where key.elementsEqual("DST".utf8): if destination == nil { destination = try address() }
        case 3 where key.elementsEqual("SPT".utf8): if sourcePort == nil { sourcePort = try port() }
        case 3 where key.elementsEqual("DPT".utf8): if destinationPort == nil { destinationPort = try port() }
        case 4 where key.elementsEqual("TYPE".utf8): if icmpType == nil { icmpType = try small() }
        case 4 where key.elementsEqual("CODE".utf8): if icmpCode == nil { icmpCode = try small() }
        case 5 where key.elementsEqual("PROTO".utf8):
            guard ipProtocol == nil else { return }
            protoOffset = offset
            ipProtocol = try Self.protocolNumber(value, at: offset)
        default: break
        }
    }

    /// `TCP`, `UDP`, `UDPLITE`, `ICMP`, `ICMPv6`, `AH`, `ESP`, `SCTP` or a number.
    private static func protocolNumber(_ value: ArraySlice<UInt8>, at offset: Int) throws(LogLineError) -> UInt8 {
        let names: [(StaticString, UInt8)] = [
            ("TCP", 6), ("UDP", 17), ("UDPLITE", 136), ("ICMP", 1), ("ICMPv6", 58), ("AH", 51), ("ESP", 50),
            ("SCTP", 132), ("GRE", 47),
        ]
        for (name, number) in names where value.count == name.utf8CodeUnitCount {
            if LogBytes.has(value, name, at: value.startIndex) { return number }
        }
        if let number = LogBytes.decimal(value, max: 255) { return UInt8(number) }
        throw LogLineError(offset: offset, "PROTO=\(LogBytes.text(value)) is not a protocol name or number")
    }

    /// The index just after the `]` that closes the `[` at `from` (nested brackets counted).
    private static func closingBracket(_ line: ArraySlice<UInt8>, from: Int) -> Int {
        var depth = 0
        var i = from
        while i < line.endIndex {
            if line[i] == UInt8(ascii: "[") { depth += 1 }
            if line[i] == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return line.endIndex
    }
}
