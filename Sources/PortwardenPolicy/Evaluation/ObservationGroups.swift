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
        // An open-addressing table of group numbers (linear probing, a power-of-two size at least
        // twice the observations) with a multiplicative hash of the key's bits: Dictionary's
        // seeded SipHash was most of the grouping's time.
        var capacity = 16
        while capacity < observations.count * 2 { capacity <<= 1 }
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        let mask = capacity - 1
        var table = [Int32](repeating: -1, count: capacity)
        var keys: [Key] = []
        var groupOf = [Int32](repeating: 0, count: observations.count)
        // Field reads through the index: binding whole observations would retain and release every
        // string they hold, once per observation.
        for position in observations.indices {
            let key = Key(
                host: observations[position].host, transport: observations[position].transport,
                port: observations[position].port)
            var slot = Int(truncatingIfNeeded: ObservationGroups.hash(key) >> shift)
            while true {
                let group = table[slot]
                if group < 0 {
                    let new = Int32(keys.count)
                    table[slot] = new
                    keys.append(key)
                    groupOf[position] = new
                    break
                }
                if keys[Int(group)] == key {
                    groupOf[position] = group
                    break
                }
                slot = (slot + 1) & mask
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

    /// Fibonacci hashing of the address halves, family, transport and port; the caller takes the top
    /// bits.
    private static func hash(_ key: Key) -> UInt64 {
        var bits = key.host.low ^ (key.host.high &* 0xC2B2_AE3D_27D4_EB4F)
        bits ^= UInt64(key.port) << 48 ^ (key.transport == .tcp ? 0 : 1 << 47) ^ (key.host.isIPv4 ? 1 << 46 : 0)
        return bits &* 0x9E37_79B9_7F4A_7C15
    }

    /// The number of groups.
    var count: Int { keys.count }

    /// The observation indices of group `group`, in input order.
    func members(of group: Int) -> ArraySlice<Int32> { members[offsets[group]..<offsets[group + 1]] }
}
