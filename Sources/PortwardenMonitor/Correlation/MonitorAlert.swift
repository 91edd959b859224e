import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An alert of the correlator: a finding (rule id, severity, requirement ids, fingerprint) with
/// when it was first and last seen in the stream and how often it repeated.
public struct MonitorAlert: Hashable, Sendable {
    public var finding: Finding
    public var firstSeen: Date
    public var lastSeen: Date
    /// How many events raised this alert since it was last emitted (1 for a new alert).
    public var count: Int

    public init(finding: Finding, firstSeen: Date, lastSeen: Date, count: Int = 1) {
        self.finding = finding
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
    }
}

/// How often a declared service or exception was used, for the 1.2.7 review ("last seen traffic").
public struct ServiceUsage: Hashable, Sendable {
    /// Whether the id names a declared service or an exception.
    public enum Kind: String, Hashable, Sendable {
        case service
        case exception
    }

    public var kind: Kind
    public var hits = 0
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// Distinct source addresses, up to `sourceLimit`; `moreSources` says when there were more.
    public var sources: Set<IPAddress> = []
    public var moreSources = false

    public static let sourceLimit = 64

    public init(kind: Kind) { self.kind = kind }

    mutating func record(_ source: IPAddress, at time: Date) {
        hits += 1
        if firstSeen.map({ time < $0 }) ?? true { firstSeen = time }
        if lastSeen.map({ time > $0 }) ?? true { lastSeen = time }
        if !sources.contains(source) {
            if sources.count < Self.sourceLimit { sources.insert(source) } else { moreSources = true }
        }
    }
}
