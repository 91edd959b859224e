/// DNS over TCP on port 53. Without a zone to ask for, a `version.bind` CHAOS TXT query identifies
/// the server (the UDP probe of 53 asks the same). For each zone the user named
/// (``DetectionConfiguration/dnsTransferZones``, never a guessed name) the probe asks for a zone
/// transfer (AXFR), one connection per zone: NOERROR with the zone's SOA as the first record is
/// `INS-DNS-AXFR` confirmed, and the connection is closed after that first message, so the rest of
/// the zone is never read. Only when every named zone was refused is the rule `not-matched`; a
/// refusal proves nothing about zones that were not named or about other source addresses.
extension PortProbe {
    static let dnsTransferRule = "INS-DNS-AXFR"

    /// Asks for the named zones, or identifies the server; true when the service is DNS.
    mutating func probeDNS(on connection: ProbeConnection) -> Bool {
        let zones = configuration.dnsTransferZones.compactMap { name in
            UDPPayloads.dnsLabels(name).map { (name: name, labels: $0) }
        }
        guard !zones.isEmpty else { return identifyDNS(on: connection) }
        var reusable: ProbeConnection? = connection
        var refused: [String] = []
        var inconclusive: [String] = []
        for zone in zones {
            guard let current = reusable ?? connect() else {
                inconclusive.append("\(zone.name): no connection")
                continue
            }
            reusable = nil
            let reading = askForTransfer(of: zone.labels, on: current)
            current.close()
            switch reading {
            case .transferred(let serial, let records, _):
                result.identify("domain")
                let detail =
                    "AXFR of \(zone.name) answered NOERROR, first record its SOA (serial \(serial)), "
                    + "\(records) record\(records == 1 ? "" : "s") in the first message; the rest was not read"
                result.record(Self.dnsTransferRule, .confirmed, detail: detail)
                return true
            case .answered(let rcode):
                result.identify("domain")
                refused.append("\(zone.name): \(DNSZoneTransfer.rcodeName(rcode))")
            case .incomplete, .notDNS:
                // The first reply decides whether this is DNS at all; later ones only this zone.
                guard result.method == .probed else { return false }
                inconclusive.append("\(zone.name): no DNS answer")
            }
        }
        guard result.method == .probed else { return false }
        result.details["dns.axfr"] = (refused + inconclusive).joined(separator: "; ")
        if inconclusive.isEmpty {
            result.record(
                Self.dnsTransferRule, .notMatched, detail: "AXFR refused to this address for every zone named")
        }
        return true
    }

    /// Sends the AXFR query for `labels` and reads the first message of the answer.
    private func askForTransfer(of labels: [String], on connection: ProbeConnection) -> DNSZoneTransfer {
        let id = UInt16.random(in: 0...UInt16.max)
        guard connection.send(DNSZoneTransfer.query(zone: labels, id: id)) else { return .incomplete }
        let reply = connection.receive { DNSZoneTransfer.parse($0, id: id, zone: labels) != .incomplete }
        return DNSZoneTransfer.parse(reply, id: id, zone: labels)
    }

    /// The `version.bind` query: any DNS response to it identifies the service.
    private mutating func identifyDNS(on connection: ProbeConnection) -> Bool {
        let id = UInt16.random(in: 0...UInt16.max)
        guard connection.send(DNSZoneTransfer.versionQuery(id: id)) else { return false }
        let reply = connection.receive { DNSZoneTransfer.parse($0, id: id, zone: nil) != .incomplete }
        guard case .answered = DNSZoneTransfer.parse(reply, id: id, zone: nil) else { return false }
        result.identify("domain")
        return true
    }
}
