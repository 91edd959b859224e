/// A set of unsigned values kept as sorted, disjoint, non-adjacent closed intervals: addresses
/// (IPv4 in the low 32 bits, IPv6 in all 128), ports, and protocol/port pairs. ``IPSet`` keeps one
/// per address family; the ruleset verifier computes with them.
public struct IntervalSet: Hashable, Sendable {
    /// The intervals, sorted and merged.
    public private(set) var ranges: [ClosedRange<UInt128>]

    /// The empty set.
    public static let empty = IntervalSet(merged: [])

    /// A set of the given intervals (any order, overlaps allowed).
    public init(_ ranges: [ClosedRange<UInt128>]) {
        self.ranges = Self.merge(ranges)
    }

    /// One interval.
    public init(_ range: ClosedRange<UInt128>) {
        self.ranges = [range]
    }

    private init(merged: [ClosedRange<UInt128>]) {
        self.ranges = merged
    }

    /// Every value from 0 through `maximum`.
    public static func all(upTo maximum: UInt128) -> IntervalSet { IntervalSet(merged: [0...maximum]) }

    public var isEmpty: Bool { ranges.isEmpty }

    /// The smallest value in the set.
    public var first: UInt128? { ranges.first?.lowerBound }

    /// The number of intervals.
    public var count: Int { ranges.count }

    public func contains(_ value: UInt128) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) >> 1
            if value < ranges[mid].lowerBound {
                high = mid - 1
            } else if value > ranges[mid].upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Whether every value of `other` is in this set.
    public func contains(_ other: IntervalSet) -> Bool { other.subtracting(self).isEmpty }

    public func union(_ other: IntervalSet) -> IntervalSet { IntervalSet(ranges + other.ranges) }

    public func intersection(_ other: IntervalSet) -> IntervalSet {
        var out: [ClosedRange<UInt128>] = []
        var i = 0
        var j = 0
        while i < ranges.count, j < other.ranges.count {
            let a = ranges[i]
            let b = other.ranges[j]
            let low = max(a.lowerBound, b.lowerBound)
            let high = min(a.upperBound, b.upperBound)
            if low <= high { out.append(low...high) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return IntervalSet(merged: out)
    }

    /// The values of this set that are not in `other`.
    public func subtracting(_ other: IntervalSet) -> IntervalSet {
        var out: [ClosedRange<UInt128>] = []
        var j = 0
        for range in ranges {
            var low = range.lowerBound
            var done = false
            while j < other.ranges.count, other.ranges[j].upperBound < low { j += 1 }
            var k = j
            while k < other.ranges.count, other.ranges[k].lowerBound <= range.upperBound {
                let cut = other.ranges[k]
                if cut.lowerBound > low { out.append(low...(cut.lowerBound - 1)) }
                if cut.upperBound >= range.upperBound {
                    done = true
                    break
                }
                low = cut.upperBound + 1
                k += 1
            }
            if !done { out.append(low...range.upperBound) }
        }
        return IntervalSet(merged: out)
    }

    /// The complement within `0...maximum`.
    public func complement(upTo maximum: UInt128) -> IntervalSet { IntervalSet.all(upTo: maximum).subtracting(self) }

    private static func merge(_ input: [ClosedRange<UInt128>]) -> [ClosedRange<UInt128>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt128>] = []
        out.reserveCapacity(sorted.count)
        for range in sorted {
            if let last = out.last, last.upperBound == UInt128.max || range.lowerBound <= last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }
}
