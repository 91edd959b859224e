import PortwardenCore

/// PCI DSS requirement ids for traffic between two zones, computed from the zones' kinds
/// (reference/pci-dss.md §0): target in the CDE → 1.3.1, source in the CDE → 1.3.2, source
/// wireless → 1.3.3, source untrusted → 1.4.2, source out-of-scope reaching the CDE → 12.5.2.
/// Never 11.4.5: a reachable port is what a segmentation test finds, not a failure of the test.
public enum ZonePairTags {
    /// - Parameters:
    ///   - source: the source zone's kind, `nil` when the source is in no zone (unknown: no 1.3.x claim for it).
    ///   - target: the target zone's kind, `nil` when in no zone.
    public static func requirements(source: ZoneKind?, target: ZoneKind?) -> [Requirement] {
        var ids: Set<String> = []
        if target == .cde { ids.insert("1.3.1") }
        if source == .cde { ids.insert("1.3.2") }
        if source == .wireless { ids.insert("1.3.3") }
        if source == .untrusted { ids.insert("1.4.2") }
        if source == .outOfScope, target == .cde { ids.insert("12.5.2") }
        if ids.isEmpty, source != nil, target != nil { ids.insert("1.2.5") }
        return ids.map(Requirement.init).sorted()
    }
}
