@testable import PortwardenScan

/// DNS over TCP: the first message of an answer to the AXFR or version query
/// (`DNSZoneTransfer.parse`; byte 0 picks the zone asked for: `lab.test`, none, or `LAB.Test`; the
/// id is the reply's own), and `DNSNameReader` at the first offsets of the same bytes. A transfer
/// needs a response with RCODE 0 and room for an SOA; a reading decided on a prefix is the reading
/// of the whole input.
enum DetectionDNSTarget: FuzzTarget {
    static let name = "detection-dns"

    static let zones: [[String]?] = [["lab", "test"], nil, ["LAB", "Test"]]

    static func run(_ input: [UInt8]) {
        guard let first = input.first else { return }
        let reply = Array(input.dropFirst())
        let zone = zones[Int(first) % zones.count]
        let id = reply.count >= 4 ? UInt16(reply[2]) << 8 | UInt16(reply[3]) : 0
        let reading = DNSZoneTransfer.parse(reply, id: id, zone: zone)
        if case .transferred(_, let records, _) = reading {
            FuzzCheck.require(zone != nil && records >= 1 && reply.count >= 32, "transfer from \(reply.count) bytes")
            FuzzCheck.require(reply[4] & 0x80 != 0 && reply[5] & 0x0F == 0, "transfer without QR or with an error")
        }
        let prefix = DNSZoneTransfer.parse(Array(reply.prefix(reply.count / 2)), id: id, zone: zone)
        FuzzCheck.require(prefix == .incomplete || prefix == reading, "prefix read \(prefix), whole \(reading)")
        for start in 0..<min(reply.count, 4) {
            if case .name(let labels, let end) = DNSNameReader.read(reply, at: start) {
                FuzzCheck.require(end > start && end <= reply.count && labels.count <= 128, "name end \(end)")
            }
        }
    }
}
