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
            // The token's end and its first "=", in one pass.
            var end = i
            var equalsAt: Int?
            while end < line.endIndex {
                let byte = line[end]
                if byte == LogBytes.space { break }
                if byte == UInt8(ascii: "="), equalsAt == nil { equalsAt = end }
                end += 1
            }
            let token = line[i..<end]
            if let equals = equalsAt {
                try field(key: line[i..<equals], value: line[(equals + 1)..<end], at: i - line.startIndex)
            } else if token.elementsEqual(Self.incomplete) || token.elementsEqual(Self.truncatedWord) {
                truncated = true
            } else if Self.packed(token) == Self.arp, source == nil {
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
        switch Self.packed(key) {
        case Self.src: if source == nil { source = try address() }
        case Self.dst: if destination == nil { destination = try address() }
        case Self.spt: if sourcePort == nil { sourcePort = try port() }
        case Self.dpt: if destinationPort == nil { destinationPort = try port() }
        case Self.type: if icmpType == nil { icmpType = try small() }
        case Self.code: if icmpCode == nil { icmpCode = try small() }
        case Self.proto:
            guard ipProtocol == nil else { return }
            protoOffset = offset
            ipProtocol = try Self.protocolNumber(value, at: offset)
        default: break
        }
    }

    /// A key of up to 7 bytes packed into an integer (its length in the top byte), so that the keys read
    /// are told apart by one comparison each; longer keys are never read and pack to 0.
    @inline(__always)
    static func packed(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        guard bytes.count <= 7 else { return 0 }
        var value = UInt64(bytes.count) << 56
        var shift: UInt64 = 0
        for byte in bytes {
            value |= UInt64(byte) << shift
            shift += 8
        }
        return value
    }

    private static func packed(_ text: StaticString) -> UInt64 {
        text.withUTF8Buffer { packed(Array($0)[...]) }
    }

    private static let src = packed("SRC")
    private static let dst = packed("DST")
    private static let spt = packed("SPT")
    private static let dpt = packed("DPT")
    private static let type = packed("TYPE")
    private static let code = packed("CODE")
    private static let proto = packed("PROTO")
    private static let incomplete = Array("INCOMPLETE".utf8)
    private static let truncatedWord = Array("TRUNCATED".utf8)
    private static let arp = packed("ARP")

    /// `TCP`, `UDP`, `UDPLITE`, `ICMP`, `ICMPv6`, `AH`, `ESP`, `SCTP` or a number.
    private static func protocolNumber(_ value: ArraySlice<UInt8>, at offset: Int) throws(LogLineError) -> UInt8 {
        let key = packed(value)
        for (name, number) in protocolNames where key == name { return number }
        if let number = LogBytes.decimal(value, max: 255) { return UInt8(number) }
        throw LogLineError(offset: offset, "PROTO=\(LogBytes.text(value)) is not a protocol name or number")
    }

    private static let protocolNames: [(UInt64, UInt8)] = [
        (packed("TCP"), 6), (packed("UDP"), 17), (packed("UDPLITE"), 136), (packed("ICMP"), 1),
        (packed("ICMPv6"), 58), (packed("AH"), 51), (packed("ESP"), 50), (packed("SCTP"), 132), (packed("GRE"), 47),
    ]

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
