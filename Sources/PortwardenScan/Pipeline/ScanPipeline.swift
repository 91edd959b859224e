import Logging
import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The scan pipeline of `audit` and `scan`: route check and host discovery, the TCP port scan of
/// the live hosts, a UDP pass, service detection on open TCP ports. Observations stream out as
/// each phase delivers them (closed and filtered ports are never collected), and the run's
/// ``ScanRecord`` says what every target really got.
///
/// `run` works on the calling thread, so a caller that joined a network namespace scans from it;
/// ``events(cancellation:)`` runs it on a thread of its own for async callers.
public struct ScanPipeline: Sendable {
    /// What to scan and how.
    public let plan: ScanPlan
    let logger: Logger

    /// Creates a pipeline.
    public init(plan: ScanPlan, logger: Logger = Logger(label: "portwarden.pipeline")) {
        self.plan = plan
        self.logger = logger
    }

    /// Runs every phase on the calling thread.
    /// - Parameters:
    ///   - cancellation: raised to stop; phases not started are skipped and the record is partial.
    ///   - events: notices, warnings and progress, on this thread.
    ///   - observe: every kept observation, as soon as its phase delivers it (open TCP ports after
    ///     service detection when that runs).
    /// - Returns: the record and counters.
    /// - Throws: ``ScanError`` when an engine fails, or what `observe` throws.
    public func run(
        cancellation: ScanCancellation = ScanCancellation(), events: (ScanEvent) -> Void,
        observe: (Observation) throws -> Void
    ) throws -> ScanOutcome {
        var run = PipelineRun(plan: plan, started: Date())
        run.hosts = discover(events: events)
        run.index = Dictionary(run.hosts.enumerated().map { ($1.host, $0) }, uniquingKeysWith: { first, _ in first })
        var heldOpen: [Observation] = []
        if !cancellation.isCancelled, !plan.tcpPorts.isEmpty {
            try scanTCP(&run, cancellation: cancellation, events: events) { observation in
                if plan.detection, observation.state == .open {
                    heldOpen.append(observation)
                } else {
                    try observe(observation)
                }
            }
        }
        if !cancellation.isCancelled, !plan.udpPorts.isEmpty {
            try scanUDP(&run, cancellation: cancellation, events: events, observe: observe)
        }
        if !heldOpen.isEmpty {
            if !cancellation.isCancelled {
                events(.notice("service detection on \(heldOpen.count) open port\(heldOpen.count == 1 ? "" : "s")"))
                heldOpen = ServiceDetector(configuration: plan.detectionSettings).enrich(heldOpen)
            }
            for observation in heldOpen { try observe(observation) }
        }
        return run.finish(cancellation: cancellation)
    }

    /// Route check for every target, then discovery when the plan asks for it and there are enough
    /// targets for it to save time.
    private func discover(events: (ScanEvent) -> Void) -> [HostCoverage] {
        guard let configuration = plan.discovery, plan.hosts.count >= plan.discoveryThreshold else {
            let hosts = HostDiscovery.routes(of: plan.hosts)
            reportUnreachable(hosts, events: events)
            return hosts
        }
        events(
            .notice(
                "discovery: \(plan.hosts.count) addresses: "
                    + configuration.methods.map(\.rawValue).joined(separator: ", ")
                    + (configuration.tcpPorts.isEmpty ? "" : " (\(configuration.tcpPorts.count) TCP ports)")))
        var discovery = configuration
        discovery.connect = plan.connect
        do {
            let result = try HostDiscovery(configuration: discovery, logger: logger).run(hosts: plan.hosts)
            for note in result.notes { events(.warning("discovery: \(note)")) }
            events(.notice("discovery: " + DiscoverySummary.line(result.hosts)))
            reportUnreachable(result.hosts, events: events)
            return result.hosts
        } catch {
            events(.warning("discovery failed (\(error)); scanning every routable address in full"))
            return HostDiscovery.routes(of: plan.hosts)
        }
    }

    private func reportUnreachable(_ hosts: [HostCoverage], events: (ScanEvent) -> Void) {
        let unreachable = hosts.filter { $0.status == .unreachable }
        guard let first = unreachable.first else { return }
        let others = unreachable.count > 1 ? " (and \(unreachable.count - 1) more)" : ""
        events(.warning("\(first.host)\(others): not scanned: \(first.reason)"))
    }
}
