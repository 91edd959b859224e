import PortwardenCore

extension EvidenceStore {
    /// Every interval that includes the port on the host (any vantage), oldest first; with `archives`, the
    /// months moved to the cold tier are read too.
    public func portHistory(
        host: IPAddress, transport: Transport, port: UInt16, archives: Bool = false
    ) throws
        -> [PortInterval]
    {
        var rows = try read { session in
            try session.query(
                "SELECT \(StoreSchema.portIntervals.selectList) FROM port_intervals WHERE host = ? AND transport = ? "
                    + "AND port_low <= ? AND port_high >= ? ORDER BY first_seen, id",
                [.blob(HostKey.bytes(host)), .text(transport.rawValue), .integer(Int64(port)), .integer(Int64(port))]
            ).compactMap(PortInterval.init(row:))
        }
        if archives {
            let archived = try ArchiveReader(location: location).rows(of: StoreSchema.portIntervals)
                .compactMap(PortInterval.init(row:))
                .filter { $0.host == host && $0.transport == transport && $0.low <= port && $0.high >= port }
            let hot = Set(rows.map(\.id))
            rows += archived.filter { !hot.contains($0.id) }
            rows.sort { ($0.firstSeen, $0.id) < ($1.firstSeen, $1.id) }
        }
        return rows
    }

    /// When the port was last seen open on the host, and from which vantage: the open interval with the
    /// latest `last_seen`.
    public func lastOpen(host: IPAddress, transport: Transport, port: UInt16) throws -> PortInterval? {
        try read { session in
            try session.query(
                "SELECT \(StoreSchema.portIntervals.selectList) FROM port_intervals WHERE host = ? AND transport = ? "
                    + "AND port_low <= ? AND port_high >= ? AND state = 'open' ORDER BY last_seen DESC LIMIT 1",
                [.blob(HostKey.bytes(host)), .text(transport.rawValue), .integer(Int64(port)), .integer(Int64(port))]
            ).compactMap(PortInterval.init(row:)).first
        }
    }

    /// The process the host inventory last saw listening on the port of the host (a listener interval not
    /// ended), if it named one.
    public func listenerProcess(host: IPAddress, transport: Transport, port: UInt16) throws -> String? {
        try read { session in
            try session.query(
                "SELECT process FROM listener_intervals WHERE host = ? AND transport = ? AND port = ? "
                    + "AND ended IS NULL AND process IS NOT NULL ORDER BY last_seen DESC LIMIT 1",
                [.blob(HostKey.bytes(host)), .text(transport.rawValue), .integer(Int64(port))]
            ).first?.first?.text
        }
    }

    /// Every port that became open inside the prefixes (a zone's) after `since`, oldest first.
    public func openedSince(_ prefixes: [Prefix], since: Int64) throws -> [PortInterval] {
        try read { session in
            var found: [PortInterval] = []
            for prefix in prefixes {
                let range = HostKey.range(prefix)
                found += try session.query(
                    "SELECT \(StoreSchema.portIntervals.selectList) FROM port_intervals WHERE state = 'open' "
                        + "AND first_seen > ? AND host >= ? AND host <= ? ORDER BY first_seen, id",
                    [.integer(since), .blob(range.low), .blob(range.high)]
                ).compactMap(PortInterval.init(row:))
            }
            // A port split into pieces keeps its first_seen: report each port once, at its first opening.
            var seen: Set<String> = []
            return found.sorted { ($0.firstSeen, $0.id) < ($1.firstSeen, $1.id) }.filter {
                seen.insert("\($0.host) \($0.transport) \($0.low) \($0.vantage) \($0.firstSeen)").inserted
            }
        }
    }

    /// The scans recorded, newest first, as full `scans` rows.
    public func scans(limit: Int = 100) throws -> [[SQLValue]] {
        try read { session in
            try session.query(
                "SELECT \(StoreSchema.scans.selectList) FROM scans ORDER BY started DESC LIMIT ?",
                [.integer(Int64(limit))])
        }
    }
}
