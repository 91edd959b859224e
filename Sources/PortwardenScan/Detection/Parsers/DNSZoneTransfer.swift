/// DNS over TCP (RFC 1035 §4.2.2, RFC 7766): the AXFR query the probe sends for a zone the user
/// named (RFC 5936), and the reading of the first message of the server's answer.
///
/// A transfer is proven only by the server's answer: a response to our id, RCODE 0 (NOERROR),
/// whose first answer record is the SOA of the zone asked for (RFC 5936 §2.2: a transfer begins
/// with the zone's SOA). The probe reads that first message and closes the connection: the rest of
/// the zone is never read or kept.
enum DNSZoneTransfer: Equatable, Sendable {
    /// NOERROR, and the first answer record is the asked zone's SOA: the server started the transfer.
    /// `records` counts the answer records of the first message.
    case transferred(serial: UInt32, records: Int, authoritative: Bool)
    /// A DNS response to the query that did not start a transfer (or the answer to the version
    /// query): its RCODE (5 REFUSED and 9 NOTAUTH for a transfer refused, 0 with no SOA first).
    case answered(rcode: UInt8)
    /// Not enough bytes yet to decide, and nothing so far says it is not DNS.
    case incomplete
    /// Not a DNS response to this query (wrong id, not a response, malformed, another protocol).
    case notDNS

    /// Record types and classes used here.
    static let typeSOA: UInt16 = 6
    static let typeAXFR: UInt16 = 252
    static let typeTXT: UInt16 = 16
    static let classIN: UInt16 = 1
    static let classCHAOS: UInt16 = 3

    /// The AXFR query for `labels` (the zone, already checked as a host name), framed for TCP: a
    /// two-byte length, a header with id `id`, no flags (no recursion desired) and one question.
    static func query(zone labels: [String], id: UInt16) -> [UInt8] {
        framed(id: id, labels: labels, type: typeAXFR, class: classIN)
    }

    /// The `version.bind` CHAOS TXT query, framed for TCP: a harmless question that identifies a
    /// DNS server (the UDP probe of 53 asks the same).
    static func versionQuery(id: UInt16) -> [UInt8] {
        framed(id: id, labels: ["version", "bind"], type: typeTXT, class: classCHAOS)
    }

    private static func framed(id: UInt16, labels: [String], type: UInt16, class qclass: UInt16) -> [UInt8] {
        var message: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in labels {
            let bytes = Array(label.utf8.prefix(63))
            message.append(UInt8(bytes.count))
            message += bytes
        }
        message += [0, UInt8(type >> 8), UInt8(type & 0xFF), UInt8(qclass >> 8), UInt8(qclass & 0xFF)]
        return [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
    }

    /// Reads the first TCP-framed message of a reply to the query with `id` for `zone` (labels;
    /// `nil` for the version query, which can only be `answered` or `notDNS`).
    /// Never traps on short or garbage input.
    static func parse(_ bytes: [UInt8], id: UInt16, zone: [String]?) -> DNSZoneTransfer {
        guard bytes.count >= 2 else { return .incomplete }
        let length = Int(bytes[0]) << 8 | Int(bytes[1])
        guard length >= 12 else { return .notDNS }
        let whole = bytes.count >= 2 + length
        let message = Array(bytes[2..<min(bytes.count, 2 + length)])
        let result = read(message, id: id, zone: zone)
        // A reading that ran out of bytes inside a message that is all here was malformed.
        if result == .incomplete, whole { return .notDNS }
        return result
    }

    private static func read(_ message: [UInt8], id: UInt16, zone: [String]?) -> DNSZoneTransfer {
        var reader = ByteReader(message)
        guard let messageID = reader.uint16(), let flags = reader.uint16(), let questions = reader.uint16(),
            let answers = reader.uint16(), reader.uint16() != nil, reader.uint16() != nil
        else { return .incomplete }
        // A response (QR) to a standard query (opcode 0) with our id.
        guard messageID == id, flags & 0x8000 != 0, flags & 0x7800 == 0 else { return .notDNS }
        let rcode = UInt8(flags & 0x000F)
        guard let zone, rcode == 0, answers >= 1 else { return .answered(rcode: rcode) }
        var offset = 12
        for _ in 0..<questions {
            switch DNSNameReader.read(message, at: offset) {
            case .name(_, let end): offset = end + 4
            case .truncated: return .incomplete
            case .malformed: return .notDNS
            }
        }
        guard offset <= message.count else { return .incomplete }
        let owner: [String]
        let ownerEnd: Int
        switch DNSNameReader.read(message, at: offset) {
        case .name(let labels, let end): (owner, ownerEnd) = (labels, end)
        case .truncated: return .incomplete
        case .malformed: return .notDNS
        }
        reader = ByteReader(message.dropFirst(ownerEnd))
        guard let type = reader.uint16(), let rclass = reader.uint16(), reader.uint32() != nil,
            let dataLength = reader.uint16()
        else { return .incomplete }
        guard type == typeSOA, rclass == classIN, owner == zone.map({ DNSNameReader.lowercased($0) }) else {
            return .answered(rcode: rcode)
        }
        // SOA RDATA: MNAME, RNAME, SERIAL (RFC 1035 §3.3.13).
        let data = ownerEnd + 10
        var nameEnd = data
        for _ in 0..<2 {
            switch DNSNameReader.read(message, at: nameEnd) {
            case .name(_, let end): nameEnd = end
            case .truncated: return .incomplete
            case .malformed: return .notDNS
            }
        }
        let rnameEnd = nameEnd
        reader = ByteReader(message.dropFirst(rnameEnd))
        guard let serial = reader.uint32() else { return .incomplete }
        guard rnameEnd + 20 <= data + Int(dataLength) else { return .notDNS }
        return .transferred(serial: serial, records: Int(answers), authoritative: flags & 0x0400 != 0)
    }

    /// The RCODE's name (RFC 1035 §4.1.1, RFC 2136 §2.2), for evidence.
    static func rcodeName(_ rcode: UInt8) -> String {
        switch rcode {
        case 0: return "NOERROR"
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 3: return "NXDOMAIN"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        case 9: return "NOTAUTH"
        default: return "RCODE \(rcode)"
        }
    }
}

/// Reads a domain name in a DNS message, following compression pointers (RFC 1035 §4.1.4).
enum DNSNameReader: Equatable {
    /// The name's labels (ASCII lowercased) and the offset just past it where it starts.
    case name([String], end: Int)
    /// The message ends inside the name.
    case truncated
    /// A reserved label type, a pointer loop or a name longer than 255 bytes.
    case malformed

    /// At most this many compression pointers are followed (a loop would never end).
    static let maximumJumps = 16

    /// A label with ASCII letters lowercased (DNS compares names case-insensitively in ASCII only,
    /// RFC 4343); other bytes stay as they are.
    static func lowercased(_ label: some Collection<UInt8>) -> String {
        String(decoding: label.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// `label`'s UTF-8 bytes with ASCII letters lowercased.
    static func lowercased(_ label: String) -> String { lowercased(Array(label.utf8)) }

    /// Reads the name that starts at `start`.
    static func read(_ message: [UInt8], at start: Int) -> DNSNameReader {
        var labels: [String] = []
        var index = start
        var end: Int?
        var jumps = 0
        var length = 0
        while true {
            guard index >= 0, index < message.count else { return .truncated }
            let byte = message[index]
            if byte == 0 { return .name(labels, end: end ?? index + 1) }
            switch byte & 0xC0 {
            case 0xC0:
                guard index + 1 < message.count else { return .truncated }
                jumps += 1
                guard jumps <= maximumJumps else { return .malformed }
                if end == nil { end = index + 2 }
                index = Int(byte & 0x3F) << 8 | Int(message[index + 1])
            case 0:
                let count = Int(byte)
                guard index + 1 + count <= message.count else { return .truncated }
                length += count + 1
                guard length <= 255 else { return .malformed }
                labels.append(lowercased(message[(index + 1)..<(index + 1 + count)]))
                index += 1 + count
            default:
                return .malformed
            }
        }
    }
}
