import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The windows and thresholds of the correlator (`docs/monitoring.md` lists the defaults and why).
public struct CorrelatorSettings: Hashable, Sendable {
    /// A source touching at least this many distinct (host, port) pairs inside `scanWindow` is
    /// scanning (among its newest 256 events in the window).
    public var scanDistinctTargets = 20
    public var scanWindow: TimeInterval = 60
    /// Denied flows from one source to CDE ports inside `denyWindow` before they are reported.
    public var repeatedDenies = 10
    public var denyWindow: TimeInterval = 300
    /// How far apart an IDS alert and a flow from the same source to the CDE may be to form one
    /// incident.
    public var incidentWindow: TimeInterval = 600
    /// Authentication failures from one source, followed within `authWindow` by a connection from
    /// it to a CDE port.
    public var authFailures = 5
    public var authWindow: TimeInterval = 600
    /// A log source that wrote nothing for this long is silent (10.7.2).
    public var silenceAfter: TimeInterval = 3600
    /// The same alert (same fingerprint) is emitted again only after this long; repeats in between
    /// update its count.
    public var throttle: TimeInterval = 3600
    /// At most this many sources are tracked per window; the oldest are dropped beyond it, so memory
    /// stays bounded whatever the input.
    public var maxTrackedSources = 50_000

    public init() {}
}
