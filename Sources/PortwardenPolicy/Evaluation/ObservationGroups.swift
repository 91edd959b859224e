import PortwardenCore

/// Observations grouped by (host, transport, port) without a per-group allocation: a counting sort
/// of observation indices, so that `members(of:)` is a contiguous slice.
struct ObservationGroups: Sendable {
    struct Key: Hashable, Sendable {
        var host: IPAddress
        var transport: Transport
        var port: UInt16
    }

    /// The key of each group, in order of first appearance.
    let keys: [Key]
    private let offsets: [Int]
    private let members: [Int32]

    init(_ observations: [Observation]) {
        var index: [Key: Int32] = [:]
        index.reserveCapacity(observations.count)
        var keys: [Key] = []
        var groupOf = [Int32](repeating: 0, count: observations.count)
        // Field reads through the index: binding whole observations would retain and release every
        // string they hold, once per observation.
        for position in observations.indices {
            let key = Key(
                host: observations[position].host, transport: observations[position].transport,
                port: observations[position].port)
            if let group = index[key] {
                groupOf[position] = group
            } else {
                let group = Int32(keys.count)
                index[key] = group
                keys.append(key)
                groupOf[position] = group
            }
        }
        var offsets = [Int](repeating: 0, count: keys.count + 1)
        for group in groupOf { offsets[Int(group) + 1] += 1 }
        for group in 0..<keys.count { offsets[group + 1] += offsets[group] }
        var cursor = offsets
        var members = [Int32](repeating: 0, count: observations.count)
        for (position, group) in groupOf.enumerated() {
            members[cursor[Int(group)]] = Int32(position)
            cursor[Int(group)] += 1
        }
        self.keys = keys
        self.offsets = offsets
        self.members = members
    }

    /// The number of groups.
    var count: Int { keys.count }

    /// The observation indices of group `group`, in input order.
    func members(of group: Int) -> ArraySlice<Int32> { members[offsets[group]..<offsets[group + 1]] }
}
