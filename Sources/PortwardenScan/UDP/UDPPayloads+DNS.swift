import PortwardenCore

extension UDPPayloads {
    /// DNS (RFC 1035): a query for `version.bind` TXT in class CHAOS, id = cookie, no recursion.
    static func dnsVersionQuery(cookie: UInt16) -> [UInt8] {
        dnsHeader(id: cookie, flags: 0x0000) + dnsName(["version", "bind"]) + be16(16) + be16(3)
    }

    /// mDNS (RFC 6762 §6.7 legacy unicast, RFC 6763 §9): PTR query for
    /// `_services._dns-sd._udp.local` in class IN; a responder echoes the id to a non-5353 port.
    static func mdnsServicesQuery(cookie: UInt16) -> [UInt8] {
        dnsHeader(id: cookie, flags: 0x0000) + dnsName(["_services", "_dns-sd", "_udp", "local"]) + be16(12) + be16(1)
    }

    /// NetBIOS name service (RFC 1002 §4.2.17): NBSTAT query for the wildcard name `*`.
    static func netbiosNodeStatusQuery(cookie: UInt16) -> [UInt8] {
        // "*" padded with NULs to 16 bytes, first-level encoded: each nibble + 'A'.
        var name: [UInt8] = [0x20]
        var raw = [UInt8](repeating: 0, count: 16)
        raw[0] = UInt8(ascii: "*")
        for byte in raw {
            name.append(UInt8(ascii: "A") + (byte >> 4))
            name.append(UInt8(ascii: "A") + (byte & 0x0F))
        }
        name.append(0)
        return dnsHeader(id: cookie, flags: 0x0000) + name + be16(0x0021) + be16(1)
    }

    /// A 12-byte DNS header with one question.
    static func dnsHeader(id: UInt16, flags: UInt16) -> [UInt8] {
        be16(id) + be16(flags) + be16(1) + be16(0) + be16(0) + be16(0)
    }

    /// A name in DNS label form (no compression).
    static func dnsName(_ labels: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for label in labels {
            let utf8 = Array(label.utf8.prefix(63))
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes.append(0)
        return bytes
    }

    /// The header fields of a DNS response, or `nil` when `reply` is not one (too short, QR clear,
    /// id not the cookie).
    static func dnsResponseHeader(_ reply: [UInt8], cookie: UInt16?) -> (answers: UInt16, rcode: UInt8)? {
        guard reply.count >= 12, let id = readBE16(reply, 0), let answers = readBE16(reply, 6) else { return nil }
        guard reply[2] & 0x80 != 0 else { return nil }
        if let cookie, id != cookie { return nil }
        return (answers, reply[3] & 0x0F)
    }

    /// A recursive query (RD set) for `name`'s `A` record, id = cookie; none when `name` is `nil`
    /// or not a host name.
    static func dnsRecursiveQuery(_ name: String?, cookie: UInt16) -> [[UInt8]] {
        guard let name, let labels = dnsLabels(name) else { return [] }
        return [dnsHeader(id: cookie, flags: 0x0100) + dnsName(labels) + be16(1) + be16(1)]
    }

    /// The labels of a host name (`www.lab.test`, a trailing dot allowed), or `nil` when a label is
    /// empty or longer than 63 bytes, or the name longer than 253.
    static func dnsLabels(_ name: String) -> [String]? {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 253, labels.allSatisfy({ (1...63).contains($0.utf8.count) })
        else { return nil }
        return labels
    }

    /// A DNS response; when it answers an `IN A` question with RA set, AA clear, RCODE 0 and at
    /// least one answer, the server resolved a name outside its zones for us: `INS-DNS-OPEN-RESOLVER`.
    static func recogniseDNS(_ reply: [UInt8], cookie: UInt16?) -> (service: String, handshakes: [String])? {
        guard let header = dnsResponseHeader(reply, cookie: cookie) else { return nil }
        guard let questions = readBE16(reply, 4), questions == 1, let nameEnd = skipDNSName(reply, from: 12),
            readBE16(reply, nameEnd) == 1, readBE16(reply, nameEnd + 2) == 1
        else { return ("domain", []) }
        let recursionAvailable = reply[3] & 0x80 != 0
        let authoritative = reply[2] & 0x04 != 0
        let resolved = recursionAvailable && !authoritative && header.rcode == 0 && header.answers >= 1
        return ("domain", resolved ? ["INS-DNS-OPEN-RESOLVER"] : [])
    }

    static func recogniseMDNS(_ reply: [UInt8], cookie: UInt16?) -> (service: String, handshakes: [String])? {
        guard dnsResponseHeader(reply, cookie: cookie) != nil else { return nil }
        return ("mdns", ["INS-AVAHI"])
    }

    /// A NetBIOS node-status response whose answer holds a name table (at least one name).
    static func recogniseNetBIOS(_ reply: [UInt8], cookie: UInt16?) -> (service: String, handshakes: [String])? {
        guard let header = dnsResponseHeader(reply, cookie: cookie) else { return nil }
        guard header.answers >= 1, let nameEnd = skipDNSName(reply, from: 12) else { return ("netbios-ns", []) }
        // type(2) class(2) ttl(4) rdlength(2), then NUM_NAMES and 18 bytes per name.
        guard let type = readBE16(reply, nameEnd), let length = readBE16(reply, nameEnd + 8) else {
            return ("netbios-ns", [])
        }
        let data = nameEnd + 10
        guard type == 0x0021, length >= 1, data < reply.count, data + Int(length) <= reply.count else {
            return ("netbios-ns", [])
        }
        let names = Int(reply[data])
        let confirmed = names >= 1 && 1 + names * 18 <= Int(length)
        return ("netbios-ns", confirmed ? ["INS-NETBIOS"] : [])
    }

    /// The offset just past a (possibly compressed) name starting at `offset`, or `nil`.
    static func skipDNSName(_ bytes: [UInt8], from offset: Int) -> Int? {
        var index = offset
        while index < bytes.count {
            let length = bytes[index]
            if length == 0 { return index + 1 }
            if length & 0xC0 == 0xC0 { return index + 2 <= bytes.count ? index + 2 : nil }
            guard length & 0xC0 == 0 else { return nil }
            index += 1 + Int(length)
        }
        return nil
    }
}
