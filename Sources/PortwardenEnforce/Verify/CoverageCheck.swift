import PortwardenCore

/// Whether a box of packets lies inside the union of the declared boxes, and if not, one packet
/// that does not: the cell-by-cell sweep stops at the first uncovered cell.
struct CoverageCheck {
    let declared: [PacketBox]
    /// Declared boxes by single service value, and the ones covering more than a few services.
    private var byService: [UInt128: [Int]] = [:]
    private var wide: [Int] = []

    init(declared: [PacketBox]) {
        self.declared = declared
        for (index, box) in declared.enumerated() {
            let count = box.services.ranges.reduce(UInt128(0)) { $0 + ($1.upperBound - $1.lowerBound + 1) }
            if count <= 16 {
                for range in box.services.ranges {
                    for value in range { byService[value, default: []].append(index) }
                }
            } else {
                wide.append(index)
            }
        }
    }

    /// A packet of `box` that no declared box holds, or `nil` when all are held.
    func uncovered(_ box: PacketBox) -> (source: UInt128, destination: UInt128, service: UInt128)? {
        let candidates = self.candidates(for: box).filter { declared[$0].intersection(box) != nil }
        if candidates.contains(where: { declared[$0].contains(box) }) { return nil }
        return sweep(box, candidates.map { declared[$0] }, dimension: 0)
    }

    private func candidates(for box: PacketBox) -> [Int] {
        let count = box.services.ranges.reduce(UInt128(0)) { $0 + ($1.upperBound - $1.lowerBound + 1) }
        guard count <= 64 else { return Array(declared.indices) }
        var seen = Set(wide)
        var out = wide
        for range in box.services.ranges {
            for value in range {
                for index in byService[value] ?? [] where seen.insert(index).inserted { out.append(index) }
            }
        }
        return out
    }

    private static func dimension(_ box: PacketBox, _ d: Int) -> IntervalSet {
        d == 0 ? box.sources : d == 1 ? box.destinations : box.services
    }

    private static func replacing(_ box: PacketBox, _ d: Int, _ set: IntervalSet) -> PacketBox {
        var copy = box
        switch d {
        case 0: copy.sources = set
        case 1: copy.destinations = set
        default: copy.services = set
        }
        return copy
    }

    /// Splits the box along dimension `d` at every boundary of the candidates; for each piece, the
    /// candidates holding it all must cover the remaining dimensions.
    private func sweep(
        _ box: PacketBox, _ candidates: [PacketBox], dimension d: Int
    ) -> (source: UInt128, destination: UInt128, service: UInt128)? {
        if candidates.isEmpty {
            // Port 0 is not a real service port: show port 1 when the piece holds it.
            var service = box.services.first ?? 0
            if service & 0xFFFF == 0, box.services.contains(service + 1) { service += 1 }
            return (box.sources.first ?? 0, box.destinations.first ?? 0, service)
        }
        if d == 3 { return nil }
        let own = Self.dimension(box, d)
        var cuts: [UInt128] = []
        for candidate in candidates {
            for range in Self.dimension(candidate, d).ranges {
                cuts.append(range.lowerBound)
                if range.upperBound < UInt128.max { cuts.append(range.upperBound + 1) }
            }
        }
        cuts.sort()
        for range in own.ranges {
            var low = range.lowerBound
            var index = cuts.firstIndex { $0 > low } ?? cuts.count
            while true {
                let next = index < cuts.count ? cuts[index] : nil
                let high = next.map { min($0 - 1, range.upperBound) } ?? range.upperBound
                let piece = IntervalSet(low...high)
                let holding = candidates.filter { Self.dimension($0, d).contains(low) }
                if let witness = sweep(Self.replacing(box, d, piece), holding, dimension: d + 1) { return witness }
                guard high < range.upperBound else { break }
                low = high + 1
                while index < cuts.count, cuts[index] <= low { index += 1 }
            }
        }
        return nil
    }
}
