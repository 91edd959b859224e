import PortwardenCore

/// The observations an evaluation needs, collected one line at a time, so that reading a large
/// observations file costs memory for what can become a finding, not for the file.
///
/// Every observation that shows a port open (or UDP-silent) is kept whole: findings quote it as
/// evidence. Of the others (closed, filtered) the evaluator only learns that a declared service's
/// port was looked at, and which hosts an inventory covered; one witness per service and per
/// inventoried host is kept, and the rest is counted. ``Evaluator/evaluate(_:at:)`` on
/// ``observations`` gives the same findings as on every line.
public struct EvaluationInput {
    private let index: EvaluationIndex
    /// The observations kept for the evaluation, in input order.
    public private(set) var observations: [Observation] = []
    /// All observations offered, kept or not.
    public private(set) var count = 0
    /// The distinct hosts of all observations offered.
    public private(set) var hosts: Set<IPAddress> = []
    private var portSeen = [Bool](repeating: false, count: 2 * 65536)
    /// The distinct (transport, port) pairs of all observations offered.
    public private(set) var portCount = 0
    private var serviceWitnessed: [Bool]
    private var inventoriedHosts: Set<IPAddress> = []
    private var covering: [Int32] = []
    /// The host of the previous offer and its zone slot: the lines of a scan come host by host, so
    /// the set insert and the zone lookup run once per run of lines, not once per line.
    private var lastHost: IPAddress?
    private var lastSlot: Int32 = 0

    /// Creates an empty input for `evaluator`'s policy.
    public init(for evaluator: Evaluator) {
        index = evaluator.index
        serviceWitnessed = [Bool](repeating: false, count: evaluator.policy.services.count)
    }

    /// Counts an observation and says whether the evaluation needs it whole.
    /// - Returns: `true` when the caller must ``add(_:)`` it; `false` when counting it was enough.
    public mutating func offer(
        host: IPAddress, transport: Transport, port: UInt16, state: PortState, source: ObservationSource
    ) -> Bool {
        count += 1
        if host != lastHost {
            hosts.insert(host)
            lastHost = host
            lastSlot = index.zones.slot(of: host)
        }
        let slot = (transport == .udp ? 65536 : 0) + Int(port)
        if !portSeen[slot] {
            portSeen[slot] = true
            portCount += 1
        }
        if PortJudge.showsOpen(state: state, source: source) || state == .openFiltered { return true }
        var needed = false
        if source == .host, inventoriedHosts.insert(host).inserted { needed = true }
        guard state != .unfiltered else { return needed }
        index.services.covering(host, slot: lastSlot, transport, port, into: &covering)
        for service in covering where !serviceWitnessed[Int(service)] {
            serviceWitnessed[Int(service)] = true
            needed = true
        }
        return needed
    }

    /// Keeps an observation that ``offer(host:transport:port:state:source:)`` asked for.
    public mutating func add(_ observation: Observation) {
        observations.append(observation)
    }

    /// Offers and, when needed, keeps a whole observation.
    public mutating func append(_ observation: Observation) {
        if offer(
            host: observation.host, transport: observation.transport, port: observation.port,
            state: observation.state, source: observation.source)
        {
            add(observation)
        }
    }
}
