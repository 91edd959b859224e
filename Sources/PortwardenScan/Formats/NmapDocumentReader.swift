import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The state machine behind ``NmapXMLImporter``: it follows the element events of one nmap (or
/// masscan `-oX`) document and hands each complete `<host>` to the collector.
struct NmapDocumentReader {
    private(set) var collector: ObservationCollector
    private var runStart: Date?
    private var scanned: [Transport: Set<UInt16>] = [:]
    private var host: NmapHostRecord?
    private var port: NmapHostRecord.PortEntry?
    private var group: NmapHostRecord.ExtraGroup?
    private var reportedMissingTime = false

    init(collector: ObservationCollector) { self.collector = collector }

    /// Handles one start tag. `parent` is the enclosing element's name (`nil` for the root).
    /// - Returns: `false` when the document is not nmap XML and reading should stop.
    mutating func start(
        _ name: String, _ attributes: [XMLAttribute], parent: String?, at location: XMLLocation
    )
        -> Bool
    {
        guard let parent else {
            if name == "nmaprun" {
                runStart = attributes[attribute: "start"].flatMap(ImportValues.epoch)
                return true
            }
            problem(.unexpectedElement, location, "the root element is <\(name)>, not <nmaprun>: this is not nmap XML")
            return false
        }
        guard let expected = Self.expectedParents[name] else { return true }  // unknown or ignored: skip
        guard expected.contains(parent) else {
            problem(
                .unexpectedElement, location,
                "<\(name)> inside <\(parent)>; expected it inside <\(expected.sorted().joined(separator: "> or <"))>")
            return true
        }
        if parent == "hosthint" { return true }
        switch name {
        case "scaninfo": scanInfo(attributes, location)
        case "host": beginHost(attributes, location)
        case "status": host?.isDown = attributes[attribute: "state"] == "down"
        case "address": address(attributes, location)
        case "extraports": beginGroup(attributes, location)
        case "extrareasons": extraReason(attributes, location)
        case "port": beginPort(attributes, location)
        case "state": portState(attributes, location)
        case "service": service(attributes)
        default: break
        }
        return true
    }

    /// Handles one end tag.
    mutating func end(_ name: String) {
        switch name {
        case "port":
            if let entry = port {
                if !entry.hasStateElement, !entry.hasServiceElement, entry.transport != nil, entry.port != nil {
                    problem(.missingField, entry.location, "<port> has no <state>; it is skipped")
                } else {
                    host?.ports.append(entry)
                }
            }
            port = nil
        case "extraports":
            if let group { host?.groups.append(group) }
            group = nil
        case "host":
            if let host { finish(host) }
            host = nil
        default: break
        }
    }

    /// Where each element Portwarden reads may appear. Other elements (os, trace, script, …) are
    /// skipped with their content.
    static let expectedParents: [String: Set<String>] = [
        "scaninfo": ["nmaprun"], "host": ["nmaprun"], "status": ["host", "hosthint"],
        "address": ["host", "hosthint"], "ports": ["host"], "extraports": ["ports"], "extrareasons": ["extraports"],
        "port": ["ports"], "state": ["port"], "service": ["port"],
    ]

    // MARK: - Elements

    private mutating func scanInfo(_ attributes: [XMLAttribute], _ location: XMLLocation) {
        guard let proto = attributes[attribute: "protocol"], let transport = Transport(rawValue: proto) else { return }
        guard let services = attributes[attribute: "services"] else { return }  // masscan writes none
        guard let ports = NmapPortList.parse(services) else {
            problem(.invalidValue, location, "scaninfo services=\"\(services.prefix(80))\" is not a port range list")
            return
        }
        scanned[transport, default: []].formUnion(ports)
    }

    private mutating func beginHost(_ attributes: [XMLAttribute], _ location: XMLLocation) {
        var record = NmapHostRecord(location: location)
        record.startTime = attributes[attribute: "starttime"].flatMap(ImportValues.epoch)
        record.endTime = attributes[attribute: "endtime"].flatMap(ImportValues.epoch)
        host = record
    }

    private mutating func address(_ attributes: [XMLAttribute], _ location: XMLLocation) {
        let type = attributes[attribute: "addrtype"] ?? "ipv4"
        guard type == "ipv4" || type == "ipv6" else { return }  // MAC addresses are not host identity
        guard let text = attributes[attribute: "addr"] else {
            problem(.missingField, location, "<address> has no addr attribute")
            return
        }
        // The address decides the family: some writers label IPv6 addresses addrtype="ipv4".
        guard let address = IPAddress(text) else {
            problem(.invalidValue, location, "addr=\"\(text.prefix(80))\" is not an IPv4 or IPv6 address")
            return
        }
        if host?.address == nil { host?.address = address }
    }

    private mutating func beginGroup(_ attributes: [XMLAttribute], _ location: XMLLocation) {
        guard let stateText = attributes[attribute: "state"], let state = PortState(rawValue: stateText) else {
            problem(.invalidValue, location, "<extraports> has no known state (open, closed, filtered, …)")
            return
        }
        guard let countText = attributes[attribute: "count"], let count = Int(countText), count >= 0, count <= 65536
        else {
            problem(.invalidValue, location, "<extraports> count is not a number of ports")
            return
        }
        group = NmapHostRecord.ExtraGroup(state: state, count: count, location: location)
    }

    private mutating func extraReason(_ attributes: [XMLAttribute], _ location: XMLLocation) {
        guard group != nil else { return }  // its <extraports> was already reported
        guard let countText = attributes[attribute: "count"], let count = Int(countText), count >= 0, count <= 65536
        else {
            problem(.invalidValue, location, "<extrareasons> count is not a number of ports")
            return
        }
        var reason = NmapHostRecord.ExtraReason(
            reason: attributes[attribute: "reason"], count: count, location: location)
        if let proto = attributes[attribute: "proto"] {
            guard let transport = Transport(rawValue: proto) else {
                group?.isUntracked = true
                if !ImportValues.untrackedProtocols.contains(proto) {
                    problem(.invalidValue, location, "<extrareasons> proto=\"\(proto.prefix(20))\" is not tcp or udp")
                }
                return
            }
            reason.transport = transport
        }
        if let list = attributes[attribute: "ports"] {
            guard let ports = NmapPortList.parse(list) else {
                problem(.invalidValue, location, "<extrareasons> ports=\"\(list.prefix(80))\" is not a port range list")
                return
            }
            // One host has at most 65,536 ports per transport; more listed ports are hostile input
            // that would only cost memory.
            let listed = (host?.listedPortCount ?? 0) + ports.count
            guard listed <= NmapHostRecord.maxListedPorts else {
                problem(
                    .limitExceeded, location, "<host> lists more than \(NmapHostRecord.maxListedPorts) collapsed ports")
                return
            }
            host?.listedPortCount = listed
            reason.ports = ports
        }
        group?.reasons.append(reason)
    }

    private mutating func beginPort(_ attributes: [XMLAttribute], _ location: XMLLocation) {
        var entry = NmapHostRecord.PortEntry(location: location)
        let proto = attributes[attribute: "protocol"] ?? ""
        if let transport = Transport(rawValue: proto) {
            entry.transport = transport
        } else if !ImportValues.untrackedProtocols.contains(proto) {
            problem(.invalidValue, location, "<port> protocol=\"\(proto.prefix(20))\" is not tcp or udp; port skipped")
        }
        let portText = attributes[attribute: "portid"] ?? ""
        entry.port = ImportValues.port(portText)
        if entry.port == nil, entry.transport != nil {
            problem(
                .invalidValue, location, "<port> portid=\"\(portText.prefix(20))\" is not a port number; port skipped")
            entry.transport = nil
        }
        port = entry
    }

    private mutating func portState(_ attributes: [XMLAttribute], _ location: XMLLocation) {
        guard port?.transport != nil else { return }
        port?.hasStateElement = true
        let text = attributes[attribute: "state"] ?? ""
        guard let state = PortState(rawValue: text) else {
            problem(.invalidValue, location, "state=\"\(text.prefix(40))\" is not a port state; port skipped")
            port?.transport = nil
            return
        }
        port?.state = state
        port?.reason = attributes[attribute: "reason"]
    }

    private mutating func service(_ attributes: [XMLAttribute]) {
        port?.hasServiceElement = true
        guard let name = attributes[attribute: "name"] else { return }
        // masscan -oX puts banners in <service name="title" banner="…"> with a <state reason="response">
        // of its own: the banner names the service (protocol names only) and leaves the port's state
        // and reason to its status record.
        let isBanner = attributes[attribute: "banner"] != nil
        if isBanner { port?.isBanner = true }
        port?.service = isBanner ? ImportValues.bannerService(name) : name
    }

    private mutating func finish(_ record: NmapHostRecord) {
        var time = runStart
        if record.startTime == nil, record.endTime == nil, runStart == nil {
            time = Date(timeIntervalSince1970: 0)
            if !reportedMissingTime {
                reportedMissingTime = true
                collector.problem(
                    .missingField, line: record.location.line, column: record.location.column,
                    message: "neither <host> starttime/endtime nor <nmaprun> start is set; observations are dated "
                        + "1970-01-01",
                    level: .warning)
            }
        }
        record.emit(into: &collector, scanned: scanned, time: time ?? Date(timeIntervalSince1970: 0))
    }

    private mutating func problem(_ code: Diagnostic.Code, _ location: XMLLocation, _ message: String) {
        collector.problem(code, line: location.line, column: location.column, message: message)
    }
}
