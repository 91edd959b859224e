import PortwardenCore

/// Turns `extrareasons` that carry no `ports` list back into port numbers: the collapsed ports of
/// a protocol are the ones its `scaninfo` names that the host did not list, and each reason's
/// count says how many of them it covers (docs/formats.md, nmap XML).
///
/// Old scans (nmap ≤ 6) write no `proto` on `extrareasons`. With one scanned protocol that one is
/// meant; with TCP and UDP, each reason is given to the protocol its name belongs to (`reset` is
/// TCP, `port-unreach` UDP) or, when the name fits both (`no-response`), to whichever protocol
/// makes every count add up — when exactly one way does.
struct NmapCollapsedPorts {
    /// One `extrareasons` without a `ports` list, with the state of its `extraports`.
    struct Item {
        let state: PortState
        let reason: NmapHostRecord.ExtraReason
    }

    /// The ports of one protocol, all with one state and reason.
    struct Resolved {
        let transport: Transport
        let ports: [UInt16]
        let state: PortState
        let reason: String?
        /// The states the counts named when they were more than one (then `state` is the
        /// combination, such as `closed|filtered`).
        let mixedStates: [(PortState, Int)]
    }

    /// Why the items could not be turned into port numbers, for the problem report.
    struct Failure: Error {
        let item: Item
        let message: String
    }

    /// The most reasons without `proto` tried in every combination (2^16 assignments).
    static let maxFreeItems = 16

    /// Resolves `items` against the scanned ports of each protocol minus those already accounted
    /// for (listed individually or by a `ports` list).
    static func resolve(
        _ items: [Item], scanned: [Transport: Set<UInt16>], accounted: [Transport: Set<UInt16>]
    ) -> (resolved: [Resolved], failures: [Failure]) {
        guard let first = items.first else { return ([], []) }
        var remaining: [Transport: [UInt16]] = [:]
        for (transport, ports) in scanned {
            remaining[transport] = ports.subtracting(accounted[transport] ?? []).sorted()
        }
        let total = items.reduce(0) { $0 + $1.reason.count }
        guard !scanned.isEmpty else {
            return (
                [],
                [Failure(item: first, message: "\(total) collapsed ports cannot be expanded: no <scaninfo services=…>")]
            )
        }
        let solutions = assignments(items, remaining: remaining)
        guard solutions.count == 1, let assignment = solutions.first else {
            let states = items.map { "\($0.reason.count) \($0.state.rawValue)" }.joined(separator: ", ")
            let unlisted = remaining.sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key.rawValue)" }
            let why =
                solutions.isEmpty
                ? "do not add up to these counts" : "fit these counts in more than one way, and no proto= says which"
            let message =
                "collapsed ports (\(states)) cannot be attributed to port numbers: the scanned ports that are not "
                + "listed (\(unlisted.joined(separator: ", "))) \(why)"
            return ([], [Failure(item: first, message: message)])
        }
        var resolved: [Resolved] = []
        var failures: [Failure] = []
        for transport in Transport.allCases {
            let mine = zip(items, assignment).filter { $0.1 == transport }.map(\.0)
            guard !mine.isEmpty else { continue }
            switch combine(mine, transport: transport, ports: remaining[transport] ?? []) {
            case .success(let part): resolved.append(part)
            case .failure(let failure): failures.append(failure)
            }
        }
        return (resolved, failures)
    }

    /// The items given to one protocol as one state and reason for all its unlisted ports.
    private static func combine(
        _ items: [Item], transport: Transport, ports: [UInt16]
    )
        -> Swift.Result<
            Resolved, Failure
        >
    {
        var counts: [(PortState, Int)] = []
        for item in items {
            if let index = counts.firstIndex(where: { $0.0 == item.state }) {
                counts[index].1 += item.reason.count
            } else {
                counts.append((item.state, item.reason.count))
            }
        }
        guard let state = combined(counts.map(\.0)) else {
            let states = counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
            return .failure(
                Failure(
                    item: items[0],
                    message: "collapsed \(transport.rawValue) ports (\(states)) cannot be attributed to port numbers: "
                        + "the file does not say which port has which state"))
        }
        let reasons = Set(items.map { NmapReason.singular($0.reason.reason) })
        return .success(
            Resolved(
                transport: transport, ports: ports, state: state,
                reason: reasons.count == 1 ? reasons.first ?? nil : "mixed", mixedStates: counts.count > 1 ? counts : []
            ))
    }

    /// The protocols of the items such that each protocol's counts add up to its unlisted ports:
    /// none, one, or two of the ways (more than one is enough to know the counts do not decide).
    static func assignments(_ items: [Item], remaining: [Transport: [UInt16]]) -> [[Transport]] {
        let scanned = Transport.allCases.filter { remaining[$0] != nil }
        let candidates: [[Transport]] = items.map { item in
            if let fixed = item.reason.transport { return [fixed] }
            if let hinted = NmapReason.transport(of: item.reason.reason), scanned.contains(hinted) { return [hinted] }
            return scanned
        }
        let free = candidates.indices.filter { candidates[$0].count > 1 }
        guard free.count <= maxFreeItems else { return [] }
        var found: [[Transport]] = []
        for combination in 0..<(1 << free.count) {
            var choice = candidates.map { $0[0] }
            for (bit, index) in free.enumerated() {
                choice[index] = candidates[index][(combination >> bit) & 1]
            }
            guard adds(items, choice, remaining) else { continue }
            found.append(choice)
            if found.count == 2 { break }
        }
        return found
    }

    private static func adds(_ items: [Item], _ choice: [Transport], _ remaining: [Transport: [UInt16]]) -> Bool {
        var sums: [Transport: Int] = [:]
        for (item, transport) in zip(items, choice) { sums[transport, default: 0] += item.reason.count }
        return sums.allSatisfy { remaining[$0.key]?.count == $0.value }
    }

    /// One state standing for all of `states`: itself when there is one; `closed|filtered` or
    /// `open|filtered` when the states are among those it stands for; otherwise `nil`.
    static func combined(_ states: [PortState]) -> PortState? {
        let set = Set(states)
        if set.count == 1 { return set.first }
        if set.isSubset(of: [.closed, .filtered, .closedFiltered]) { return .closedFiltered }
        if set.isSubset(of: [.open, .filtered, .openFiltered]) { return .openFiltered }
        return nil
    }
}
