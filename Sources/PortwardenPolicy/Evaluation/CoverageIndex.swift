import PortwardenCore

/// Declared objects that cover host/transport/port triples (services or exceptions), indexed so
/// that finding the objects covering one observation costs a dictionary lookup plus a short list,
/// never a pass over all objects.
struct CoverageIndex: Sendable {
    /// One declared object as the index sees it.
    struct Entry: Sendable {
        var zone: String
        var zoneSlot: Int32
        /// `nil` means every host of the zone.
        var hosts: IPSet?
        var ports: [PortSpec]
    }

    struct Key: Hashable, Sendable {
        var slot: Int32
        var transport: Transport
        var port: UInt16
    }

    struct RangeEntry: Sendable {
        var spec: PortSpec
        var entry: Int32
    }

    /// Ranges up to this many ports are expanded into the dictionary; wider ones go to a short list.
    static let expandLimit = 64

    let entries: [Entry]
    private var singles: [Key: [Int32]] = [:]
    private var ranges: [Int32: [RangeEntry]] = [:]
    /// Per zone slot, the entries with an explicit host list that may include addresses of the slot.
    private var listersBySlot: [Int32: [Int32]] = [:]

    init(_ items: [(zone: String, hosts: [Prefix], ports: [PortSpec])], zones: ZoneMap) {
        entries = items.map { item in
            Entry(
                zone: item.zone, zoneSlot: zones.slot(id: item.zone),
                hosts: item.hosts.isEmpty ? nil : IPSet(item.hosts), ports: item.ports)
        }
        for (index, item) in items.enumerated() {
            let entry = entries[index]
            var slots: Set<Int32> = []
            if item.hosts.isEmpty {
                slots.insert(entry.zoneSlot)
            } else {
                for prefix in item.hosts { slots.formUnion(zones.slots(overlapping: prefix)) }
            }
            for slot in slots {
                add(entry: Int32(index), ports: item.ports, slot: slot)
                if !item.hosts.isEmpty { listersBySlot[slot, default: []].append(Int32(index)) }
            }
        }
    }

    private mutating func add(entry: Int32, ports: [PortSpec], slot: Int32) {
        for spec in ports {
            if spec.range.count <= CoverageIndex.expandLimit {
                for port in spec.range.lower...spec.range.upper {
                    let key = Key(slot: slot, transport: spec.transport, port: port)
                    if singles[key]?.last != entry { singles[key, default: []].append(entry) }
                }
            } else {
                ranges[slot, default: []].append(RangeEntry(spec: spec, entry: entry))
            }
        }
    }

    /// Appends to `out` the entries covering `transport/port` on `host`, whose zone slot is `slot`.
    func covering(_ host: IPAddress, slot: Int32, _ transport: Transport, _ port: UInt16, into out: inout [Int32]) {
        out.removeAll(keepingCapacity: true)
        if let list = singles[Key(slot: slot, transport: transport, port: port)] {
            for entry in list where matchesHost(entry, host, slot) { out.append(entry) }
        }
        if let list = ranges[slot] {
            for range in list where range.spec.matches(transport, port) && !out.contains(range.entry) {
                if matchesHost(range.entry, host, slot) { out.append(range.entry) }
            }
        }
        if out.count > 1 { out.sort() }
    }

    private func matchesHost(_ entry: Int32, _ host: IPAddress, _ slot: Int32) -> Bool {
        let item = entries[Int(entry)]
        guard let hosts = item.hosts else { return item.zoneSlot == slot }
        return hosts.contains(host)
    }

    /// The entries whose explicit host lists include `host` (any port), for host-level questions.
    func entriesListing(_ host: IPAddress, slot: Int32) -> [Int32] {
        (listersBySlot[slot] ?? []).filter { entries[Int($0)].hosts?.contains(host) ?? false }
    }
}
