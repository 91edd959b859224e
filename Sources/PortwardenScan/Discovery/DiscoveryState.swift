import PortwardenCore

/// The working state of one discovery pass: per target its entry (pending targets are `down`
/// until something answers) and the evidence gathered against it.
struct DiscoveryState {
    /// Which kind of ICMP socket a family used.
    enum ICMPSocketKind: Equatable {
        case none, raw, ping
    }

    var entries: [HostCoverage]
    var index: [IPAddress: Int] = [:]
    /// Per target, ICMP errors that routers or our own stack sent about it.
    var evidence: [[String]]
    var notes: [String] = []
    var probesSent = 0
    /// IPv4 at 0, IPv6 at 1.
    var icmpUsed: [ICMPSocketKind] = [.none, .none]

    init(hosts: [IPAddress]) {
        entries = hosts.map { HostCoverage(host: $0, status: .down, reason: "") }
        evidence = Array(repeating: [], count: hosts.count)
        for (position, host) in hosts.enumerated() where index[host] == nil { index[host] = position }
    }

    /// Targets still without an answer (and routable), of one family or of both (`nil`).
    func pending(ipv6: Bool?) -> [Int] {
        entries.indices.filter { position in
            entries[position].status == .down && (ipv6 == nil || entries[position].host.isIPv4 != ipv6)
        }
    }

    mutating func markUp(_ position: Int, method: HostDiscoveryMethod, reason: String) {
        guard entries[position].status == .down else { return }
        entries[position].status = .up
        entries[position].method = method
        entries[position].reason = reason
    }

    /// Applies one ICMP answer: a reply or an error sent by the target itself makes it up; an
    /// error from a router or from our own stack is kept as evidence for the "down" reason.
    mutating func apply(_ reply: ICMPDiscoveryReply) {
        switch reply {
        case .reply(let host, let method):
            guard let position = index[host] else { return }
            markUp(position, method: method, reason: method == .icmpTimestamp ? "timestamp-reply" : "echo-reply")
        case .error(let target, let reporter, let type, let code, let method):
            guard let position = index[target] else { return }
            let text = ICMPDiscoveryReply.errorText(type: type, code: code, ipv6: !target.isIPv4)
            if reporter == target {
                markUp(position, method: method, reason: "\(text) from the host itself (\(method.rawValue))")
            } else if reporter == entries[position].sourceAddress {
                appendEvidence(position, "our own stack reported \(text) (no neighbour answered on the segment)")
            } else {
                appendEvidence(position, "\(text) from \(reporter)")
            }
        }
    }

    /// Marks up every pending IPv4 target the kernel resolved with ARP.
    mutating func applyNeighbours(_ table: NeighbourTable) {
        for position in pending(ipv6: false) {
            guard let device = table.resolved[entries[position].host] else { continue }
            markUp(position, method: .arp, reason: "arp-response on \(device)")
        }
    }

    /// Writes the reason of every target nothing answered: what was tried and what came back.
    mutating func concludeDown(methods configuration: DiscoveryConfiguration, icmpUsed: [ICMPSocketKind]) {
        for position in pending(ipv6: nil) {
            let ipv6 = !entries[position].host.isIPv4
            var tried: [String] = []
            switch icmpUsed[ipv6 ? 1 : 0] {
            case .raw: tried.append(ipv6 ? "icmpv6-echo" : "icmp-echo, icmp-timestamp")
            case .ping: tried.append(ipv6 ? "icmpv6-echo" : "icmp-echo")
            case .none: break
            }
            if !configuration.tcpPorts.isEmpty {
                let ports = configuration.tcpPorts.prefix(4).map(String.init).joined(separator: ",")
                let more = configuration.tcpPorts.count > 4 ? " and \(configuration.tcpPorts.count - 4) more" : ""
                tried.append("tcp-connect to \(ports)\(more)")
            }
            var reason = "no answer to \(tried.joined(separator: ", "))"
            if configuration.neighbourTable, !ipv6 {
                reason += "; not in the ARP table (no ARP reply, if it is on a directly attached segment)"
            }
            if !evidence[position].isEmpty { reason += "; " + evidence[position].joined(separator: "; ") }
            entries[position].reason = reason
        }
    }

    private mutating func appendEvidence(_ position: Int, _ text: String) {
        if !evidence[position].contains(text) { evidence[position].append(text) }
    }
}
