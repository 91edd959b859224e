extension PortRange {
    /// The ranges sorted, with those that overlap or touch merged: `[23-79, 1-21, 22]` gives `[1-79]`.
    /// The one way the project folds ports into ranges (coverage lists, nmap's `extraports`, evidence).
    public static func coalesced(_ ranges: some Sequence<PortRange>) -> [PortRange] {
        var merged: [PortRange] = []
        for range in ranges.sorted() {
            if let last = merged.last, Int(range.lower) <= Int(last.upper) + 1 {
                merged[merged.count - 1] = PortRange(last.lower, max(last.upper, range.upper)) ?? last
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Single ports folded into ranges: `[80, 22, 23, 24]` gives `[22-24, 80]`.
    public static func coalesced(ports: some Sequence<UInt16>) -> [PortRange] {
        coalesced(ports.map(PortRange.init(port:)))
    }

    /// Ranges as a list in nmap's notation, coalesced first: `1-21,23-79`.
    public static func list(_ ranges: some Sequence<PortRange>) -> String {
        coalesced(ranges).map(\.description).joined(separator: ",")
    }
}
