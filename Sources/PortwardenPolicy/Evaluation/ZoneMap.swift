import PortwardenCore

/// The policy's zones indexed for evaluation: which zone holds an address (longest prefix match),
/// a zone's slot by id, and whether a vantage zone may reach a service.
struct ZoneMap: Sendable {
    /// The slot of addresses no zone contains.
    static let noZone: Int32 = -1
    /// The slot of a zone id the policy does not declare.
    static let undeclared: Int32 = -2

    let zones: [Zone]
    private let table: PrefixTable<Int32>
    private let slotByID: [String: Int32]

    init(_ zones: [Zone]) {
        self.zones = zones
        var entries: [(Prefix, Int32)] = []
        var slots: [String: Int32] = [:]
        // Iterate in reverse so that, for a prefix declared twice, the first zone wins (the table keeps the last).
        for (index, zone) in zones.enumerated().reversed() {
            for prefix in zone.prefixes { entries.append((prefix, Int32(index))) }
            slots[zone.id] = Int32(index)
        }
        table = PrefixTable(entries)
        slotByID = slots
    }

    /// The slot of the most specific zone containing `address`, or `noZone`.
    func slot(of address: IPAddress) -> Int32 { table[address] ?? ZoneMap.noZone }

    /// The slot of the zone with id `id`, or `undeclared`.
    func slot(id: String) -> Int32 { slotByID[id] ?? ZoneMap.undeclared }

    /// The zone in `slot`, if it is a declared zone.
    func zone(_ slot: Int32) -> Zone? { slot >= 0 && Int(slot) < zones.count ? zones[Int(slot)] : nil }

    /// The zone with id `id`.
    func zone(id: String) -> Zone? { zone(slot(id: id)) }

    /// Whether the zone in `slot` is a CDE zone.
    func isCDE(_ slot: Int32) -> Bool { zone(slot)?.isCDE ?? false }

    /// Whether the zone with id `id` is a CDE zone (false for an unknown or missing id).
    func isCDE(id: String?) -> Bool { id.flatMap { zone(id: $0) }?.isCDE ?? false }

    /// Every slot an address block may fall in: the zone of a single address, or every zone whose
    /// prefixes overlap a wider block, plus `noZone` for the parts outside all zones.
    func slots(overlapping prefix: Prefix) -> [Int32] {
        if prefix.length == prefix.network.bitWidth { return [slot(of: prefix.network)] }
        var result: [Int32] = [ZoneMap.noZone]
        for (index, zone) in zones.enumerated() where zone.prefixes.contains(where: { $0.overlaps(prefix) }) {
            result.append(Int32(index))
        }
        return result
    }

    /// Whether a probe from zone `vantage` is allowed by `allowFrom` of an object living in `ownZone`.
    ///
    /// The own zone is always allowed (same-zone traffic does not cross a network security control);
    /// `any` allows everyone; a zone entry allows that zone; a prefix entry allows a vantage zone whose
    /// prefixes all lie inside it.
    func permits(_ allowFrom: [AccessSource], ownZone: String, vantage: String) -> Bool {
        if vantage == ownZone { return true }
        for source in allowFrom {
            switch source {
            case .any: return true
            case .zone(let id): if id == vantage { return true }
            case .prefix(let block):
                if let zone = zone(id: vantage), !zone.prefixes.isEmpty,
                    zone.prefixes.allSatisfy({ block.contains($0) })
                {
                    return true
                }
            }
        }
        return false
    }
}
