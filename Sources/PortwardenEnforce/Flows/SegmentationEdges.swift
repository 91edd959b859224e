import PortwardenCore

/// What of a policy a segmentation control enforces, at one moment: each zone's kind and prefixes, and
/// every allowed edge that crosses from a source (another zone, an address block, anyone) into a zone.
/// Two policies with equal edges segment the network the same way, so a change between them is a change to a
/// segmentation rule (PCI DSS 11.4.5: test after any change); renaming a service, rewording a justification or
/// a flow inside one zone is not.
public struct SegmentationEdges: Hashable, Sendable {
    /// One port of one crossing edge.
    public struct Edge: Hashable, Sendable, CustomStringConvertible {
        public var source: FlowSource
        public var zone: String
        /// The destination hosts, or the whole zone.
        public var hosts: [Prefix]?
        public var port: PortSpec

        public var description: String {
            let target = hosts.map { "\(zone) \($0.map(\.description).joined(separator: ","))" } ?? zone
            return "\(source) → \(target) \(port)"
        }
    }

    /// Zone id → kind and prefixes, as text.
    public let zones: [String: String]
    public let edges: Set<Edge>

    /// The edges of a plan.
    public init(plan: FlowPlan) {
        var zones: [String: String] = [:]
        for zone in plan.zones {
            zones[zone.id] = zone.kind.rawValue + " " + zone.prefixes.map(\.description).sorted().joined(separator: ",")
        }
        var edges: Set<Edge> = []
        for flow in plan.flows {
            let hosts = flow.hosts?.sorted { $0.description < $1.description }
            for source in flow.sources where source != .zone(flow.zone) {
                for port in flow.ports { edges.insert(Edge(source: source, zone: flow.zone, hosts: hosts, port: port)) }
            }
        }
        self.zones = zones
        self.edges = edges
    }

    /// What differs from `old`, in one line (`zones changed: cde-db; +1 edge: corp → cde-db tcp/8443`), or nil
    /// when the two segment the network the same way.
    public func change(from old: SegmentationEdges) -> String? {
        var parts: [String] = []
        let zoneIDs = Set(zones.keys).union(old.zones.keys).filter { zones[$0] != old.zones[$0] }.sorted()
        if !zoneIDs.isEmpty { parts.append("zones changed: " + zoneIDs.joined(separator: ", ")) }
        for (sign, set) in [("+", edges.subtracting(old.edges)), ("-", old.edges.subtracting(edges))]
        where !set.isEmpty {
            let listed = set.map(\.description).sorted()
            let shown = listed.prefix(3).joined(separator: ", ") + (listed.count > 3 ? ", …" : "")
            parts.append("\(sign)\(set.count) edge\(set.count == 1 ? "" : "s"): \(shown)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
