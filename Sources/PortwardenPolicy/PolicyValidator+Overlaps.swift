import PortwardenCore

/// Overlapping prefixes between zones. CIDR blocks either nest or are disjoint, so a sweep over the
/// prefixes sorted by first address, with a stack of the blocks still open, finds every overlapping
/// pair in O(n log n + pairs).
extension PolicyValidator {
    private struct Block {
        var prefix: Prefix
        var zoneIndex: Int
        var at: SourceLocation
    }

    mutating func checkOverlaps() {
        var blocks: [Block] = []
        for (index, zone) in draft.zones.enumerated() where zone.id != nil {
            for prefix in zone.prefixes { blocks.append(Block(prefix: prefix.value, zoneIndex: index, at: prefix.at)) }
        }
        for family in [true, false] {
            let sorted = blocks.filter { $0.prefix.isIPv4 == family }.sorted { a, b in
                a.prefix.first != b.prefix.first ? a.prefix.first < b.prefix.first : a.prefix.length < b.prefix.length
            }
            var open: [Block] = []
            for block in sorted {
                while let top = open.last, top.prefix.last < block.prefix.first { open.removeLast() }
                for enclosing in open where enclosing.zoneIndex != block.zoneIndex {
                    reportOverlap(enclosing, block)
                }
                open.append(block)
            }
        }
    }

    private mutating func reportOverlap(_ a: Block, _ b: Block) {
        let (earlier, later) = (a.at.line, a.at.column) <= (b.at.line, b.at.column) ? (a, b) : (b, a)
        let first = draft.zones[earlier.zoneIndex]
        let second = draft.zones[later.zoneIndex]
        let firstID = first.id?.value ?? ""
        let secondID = second.id?.value ?? ""
        let overlap =
            "\(later.prefix) of zone \"\(secondID)\" overlaps \(earlier.prefix) of zone \"\(firstID)\" "
            + "(line \(earlier.at.line))"
        if (first.kind == .cde) != (second.kind == .cde) {
            log.error(
                .segmentationOverlap, at: later.at,
                "\(overlap): a CDE zone and a non-CDE zone share addresses, so segmentation is ambiguous; "
                    + "make the prefixes disjoint")
        } else {
            log.warning(
                .zoneOverlap, at: later.at,
                "\(overlap); addresses in both are matched to the zone with the longer prefix, make the prefixes disjoint unless that is intended"
            )
        }
    }
}
