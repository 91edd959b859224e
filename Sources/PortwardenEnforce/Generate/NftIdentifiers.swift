/// Set and chain names for zone ids: nftables identifiers are `[A-Za-z_][A-Za-z0-9_]*` here, so
/// other characters become `_`, and ids that collide after that get a numeric suffix. The
/// assignment depends only on the sorted zone ids, so output is stable.
struct NftIdentifiers {
    private var names: [String: String] = [:]

    init(zoneIDs: [String]) {
        var used: Set<String> = []
        for id in zoneIDs.sorted() where names[id] == nil {
            var base = String(
                id.unicodeScalars.map { scalar -> Character in
                    let ok = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
                    return ok ? Character(scalar) : "_"
                })
            if base.isEmpty { base = "_" }
            var name = String(base.prefix(40))
            var counter = 2
            while used.contains(name) {
                name = "\(base.prefix(40))_\(counter)"
                counter += 1
            }
            used.insert(name)
            names[id] = name
        }
    }

    /// The identifier part for a zone id.
    func zone(_ id: String) -> String { names[id] ?? "_" }

    /// The name of a zone's address set of one family.
    func zoneSet(_ id: String, _ family: AddressFamily) -> String { "zone_\(zone(id))_\(family.suffix)" }

    /// The router chain for traffic into a zone.
    func intoChain(_ id: String) -> String { "into_\(zone(id))" }
}
