/// How often a declared service or exception was used in traffic, for the 1.2.7 review ("last seen
/// traffic"). As a change to write it is a delta (hits since the last write); as read it is the total.
public struct ServiceUsageRecord: Sendable, Hashable {
    /// What the id names.
    public enum Kind: String, Sendable, CaseIterable {
        case service
        case exception
    }

    /// At most this many distinct sources are kept per object; `moreSources` says there were more.
    public static let sourceLimit = 64

    public var kind: Kind
    public var id: String
    public var hits: Int64
    /// Microseconds.
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// Distinct source addresses, sorted, at most `sourceLimit`.
    public var sources: [String]
    public var moreSources: Bool

    public init(
        kind: Kind, id: String, hits: Int64, firstSeen: Int64, lastSeen: Int64, sources: [String], moreSources: Bool
    ) {
        self.kind = kind
        self.id = id
        self.hits = hits
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sources = sources
        self.moreSources = moreSources
    }

    init?(row: [SQLValue]) {
        guard row.count == 8, let kind = row[1].text.flatMap(Kind.init(rawValue:)), let id = row[2].text,
            let hits = row[3].integer, let firstSeen = row[4].integer, let lastSeen = row[5].integer,
            let sources = row[6].text, let more = row[7].integer
        else { return nil }
        self.init(
            kind: kind, id: id, hits: hits, firstSeen: firstSeen, lastSeen: lastSeen,
            sources: sources.split(separator: ",").map(String.init), moreSources: more != 0)
    }

    /// This total with `delta` added: hits summed, the earliest first and latest last seen, sources united
    /// up to the limit.
    func adding(_ delta: ServiceUsageRecord) -> ServiceUsageRecord {
        var united = Set(sources).union(delta.sources).sorted()
        var more = moreSources || delta.moreSources
        if united.count > Self.sourceLimit {
            united = Array(united.prefix(Self.sourceLimit))
            more = true
        }
        return ServiceUsageRecord(
            kind: kind, id: id, hits: hits + delta.hits, firstSeen: min(firstSeen, delta.firstSeen),
            lastSeen: max(lastSeen, delta.lastSeen), sources: united, moreSources: more)
    }

    var values: [SQLValue] {
        [
            .text(kind.rawValue), .text(id), .integer(hits), .integer(firstSeen), .integer(lastSeen),
            .text(sources.joined(separator: ",")), .integer(moreSources ? 1 : 0),
        ]
    }
}
